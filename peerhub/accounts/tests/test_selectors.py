import time

import pytest
from django.core import signing
from django.utils import timezone

from peerhub.accounts import selectors
from peerhub.accounts.models import ApiToken, User, hash_token
from peerhub.accounts.selectors import AccountStatus, ConfirmationProblem
from peerhub.audit.services import record_event


def _pending(email="pending@example.org"):
    return User.objects.create_user(email=email, password="x", is_active=False)


def _deactivate_in_history(user, actor):
    record_event(subject_type=selectors.USER_SUBJECT, subject_id=user.pk, action="deactivated", actor=actor,
                 before={}, after={})


def test_an_active_account_is_active(contributor):
    assert selectors.account_status(contributor) == AccountStatus.ACTIVE


def test_an_inactive_account_that_never_signed_in_is_waiting_for_confirmation(db):
    assert selectors.account_status(_pending()) == AccountStatus.PENDING


def test_an_account_an_administrator_deactivated_is_deactivated(db, admin_user):
    user = _pending()
    _deactivate_in_history(user, admin_user)
    assert selectors.account_status(user) == AccountStatus.DEACTIVATED


def test_an_inactive_account_that_has_signed_in_before_is_deactivated(db):
    user = _pending()
    user.last_login = timezone.now()
    assert selectors.account_status(user) == AccountStatus.DEACTIVATED


def test_a_fresh_confirmation_link_names_its_account(db):
    user = _pending()
    assert selectors.user_for_confirmation(selectors.confirmation_token(user)) == user


def test_it_rejects_a_confirmation_link_older_than_three_days(db, monkeypatch):
    user = _pending()
    four_days_ago = time.time() - 4 * 24 * 60 * 60
    monkeypatch.setattr(signing.time, "time", lambda: four_days_ago)
    token = selectors.confirmation_token(user)
    monkeypatch.undo()
    with pytest.raises(ConfirmationProblem) as problem:
        selectors.user_for_confirmation(token)
    assert problem.value.kind == "expired"


@pytest.mark.parametrize("mangle", [lambda t: t + "x", lambda t: "9" + t, lambda t: "not-a-token"])
def test_it_rejects_a_tampered_confirmation_link(db, mangle):
    token = selectors.confirmation_token(_pending())
    with pytest.raises(ConfirmationProblem) as problem:
        selectors.user_for_confirmation(mangle(token))
    assert problem.value.kind == "invalid"


def test_a_confirmation_link_for_an_active_account_counts_as_used(contributor):
    with pytest.raises(ConfirmationProblem) as problem:
        selectors.user_for_confirmation(selectors.confirmation_token(contributor))
    assert problem.value.kind == "used"


def test_a_confirmation_link_cannot_undo_a_deactivation(db, admin_user):
    user = _pending()
    token = selectors.confirmation_token(user)
    _deactivate_in_history(user, admin_user)
    with pytest.raises(ConfirmationProblem) as problem:
        selectors.user_for_confirmation(token)
    assert problem.value.kind == "invalid"


def test_a_confirmation_link_for_a_missing_account_is_invalid(db):
    token = signing.TimestampSigner(salt=selectors.CONFIRM_SALT).sign("987654")
    with pytest.raises(ConfirmationProblem) as problem:
        selectors.user_for_confirmation(token)
    assert problem.value.kind == "invalid"


def test_api_tokens_of_lists_only_the_persons_own_tokens(contributor, other_contributor):
    mine = ApiToken.objects.create(user=contributor, name="Mine", key_hash=hash_token("a"), prefix="a")
    ApiToken.objects.create(user=other_contributor, name="Theirs", key_hash=hash_token("b"), prefix="b")
    assert selectors.api_tokens_of(contributor) == [mine]


def test_users_page_searches_by_email_and_labels_each_status(db, personas, admin_user):
    _pending("pending@example.org")
    deactivated = _pending("gone@example.org")
    _deactivate_in_history(deactivated, admin_user)
    statuses = {u.email: u.status for u in selectors.users_page("", 1).object_list}
    assert statuses["pending@example.org"] == AccountStatus.PENDING
    assert statuses["gone@example.org"] == AccountStatus.DEACTIVATED
    assert statuses["curator@example.org"] == AccountStatus.ACTIVE
    assert [u.email for u in selectors.users_page("CURATOR", 1).object_list] == ["curator@example.org"]


def test_users_page_splits_into_pages_and_copes_with_a_bad_page_number(db, django_assert_max_num_queries):
    User.objects.bulk_create(User(email=f"person{i:02}@example.org") for i in range(30))
    with django_assert_max_num_queries(2):
        page = selectors.users_page("", 2)
    assert page.paginator.num_pages == 2 and len(page.object_list) == 30 - selectors.USERS_PER_PAGE
    assert selectors.users_page("", "nonsense").number == 1
    assert selectors.users_page("", 99).number == 2


def test_the_signup_limit_is_reached_after_five_attempts_from_one_address():
    from peerhub.accounts.services import note_signup_attempt

    for _ in range(5):
        assert not selectors.signup_limit_reached("10.0.0.1")
        note_signup_attempt("10.0.0.1")
    assert selectors.signup_limit_reached("10.0.0.1")
    assert not selectors.signup_limit_reached("10.0.0.2")
