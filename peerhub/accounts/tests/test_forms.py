import time

import pytest
from django.core import signing

from peerhub.accounts.forms import (
    FORM_TIMESTAMP_SALT,
    ApiTokenForm,
    EmailAuthenticationForm,
    SignupForm,
    UserAdminForm,
    form_timestamp_problem,
    minimum_password_length,
    signed_form_timestamp,
)
from peerhub.accounts.selectors import AccountStatus


def test_a_complete_human_signup_is_valid(signup_data):
    form = SignupForm(signup_data(email="  Mixed.Case@Example.ORG "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "mixed.case@example.org"


def test_it_rejects_a_filled_honeypot(signup_data):
    form = SignupForm(signup_data(website="http://spam.example"))
    assert not form.is_valid()
    assert "a hidden field was filled in" in str(form.non_field_errors())


def test_it_rejects_a_submission_faster_than_three_seconds(signup_data):
    form = SignupForm(signup_data(started=signed_form_timestamp(time.time() - 1)))
    assert not form.is_valid()
    assert "You sent the form too quickly" in str(form.non_field_errors())


def test_it_rejects_a_form_older_than_a_day(signup_data):
    form = SignupForm(signup_data(started=signed_form_timestamp(time.time() - 25 * 60 * 60)))
    assert not form.is_valid()
    assert "open for more than a day" in str(form.non_field_errors())


@pytest.mark.parametrize("started", ["", "12345", signing.dumps(time.time() - 60, salt="another-salt")])
def test_it_rejects_a_missing_or_forged_timestamp(signup_data, started):
    form = SignupForm(signup_data(started=started))
    assert not form.is_valid()
    assert "We could not check this form" in str(form.non_field_errors())


def test_it_rejects_a_timestamp_that_is_not_a_number():
    assert form_timestamp_problem(signing.dumps("yesterday", salt=FORM_TIMESTAMP_SALT))


def test_it_rejects_mismatched_passwords(signup_data):
    form = SignupForm(signup_data(password2="something-else-entirely-9"))
    assert not form.is_valid()
    assert form.errors["password2"] == ["The passwords do not match. Type the same password twice."]


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901234", "new.person.example"])
def test_it_rejects_weak_passwords_with_djangos_validators(signup_data, password):
    form = SignupForm(signup_data(password1=password, password2=password))
    assert not form.is_valid()
    assert form.errors["password1"]


def test_it_rejects_an_invalid_email_address(signup_data):
    form = SignupForm(signup_data(email="not-an-address"))
    assert not form.is_valid()
    assert "correct format" in form.errors["email"][0]


def test_the_honeypot_is_hidden_from_people_and_never_shows_a_value_back(signup_data):
    html = str(SignupForm(signup_data(website="filled")).__getitem__("website"))
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert "filled" not in html


def test_a_reshown_form_carries_a_fresh_timestamp(signup_data):
    old = signed_form_timestamp(time.time() - 2 * 24 * 60 * 60)
    html = str(SignupForm(signup_data(started=old))["started"])
    assert old not in html
    assert 'type="hidden"' in html


def test_the_password_hint_states_the_configured_minimum_length():
    assert minimum_password_length() == 10
    assert "at least 10 characters" in SignupForm().fields["password1"].help_text


def test_the_sign_in_field_is_labelled_email_address_and_keeps_the_name_username():
    form = EmailAuthenticationForm()
    assert form.fields["username"].label == "Email address"
    assert 'name="username"' in str(form["username"])
    assert 'type="email"' in str(form["username"])


def test_it_rejects_a_blank_token_name():
    form = ApiTokenForm({"name": "   "})
    assert not form.is_valid()
    assert form.errors["name"] == ["Enter a name for the token"]


def test_only_an_account_waiting_for_confirmation_may_stay_waiting():
    pending = UserAdminForm(current_status=AccountStatus.PENDING).fields["status"].choices
    active = UserAdminForm(current_status=AccountStatus.ACTIVE).fields["status"].choices
    assert AccountStatus.PENDING in [value for value, _label in pending]
    assert AccountStatus.PENDING not in [value for value, _label in active]


def test_it_rejects_a_role_that_does_not_exist():
    form = UserAdminForm({"role": "overlord", "status": "active"}, current_status=AccountStatus.ACTIVE)
    assert not form.is_valid()
    assert form.errors["role"] == ["Choose one of the roles listed"]
