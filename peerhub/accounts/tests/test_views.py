import re

import pytest
from django.core import mail
from django.urls import reverse

from peerhub.accounts.models import ApiToken, Role, User, hash_token
from peerhub.accounts.selectors import AccountStatus, confirmation_token
from peerhub.audit.models import AuditEvent
from peerhub.library.models import Resource, Status

PASSWORD = "correct-horse-battery-staple"
pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SIGNUP = reverse("accounts:signup")


def _token_for(user, name="Script"):
    return ApiToken.objects.create(user=user, name=name, key_hash=hash_token(name + user.email), prefix="abcdefgh")


def _urls(contributor):
    return {
        "login": LOGIN,
        "signup": SIGNUP,
        "signup_done": reverse("accounts:signup_done"),
        "confirm": reverse("accounts:confirm", args=["not-a-real-token"]),
        "dashboard": reverse("accounts:dashboard"),
        "tokens": reverse("accounts:tokens"),
        "users": reverse("accounts:users"),
        "user_edit": reverse("accounts:user_edit", args=[contributor.pk]),
    }


# What a GET returns for each persona: a status code, or "login" for a redirect to sign in.
GET_MATRIX = {
    "login": {"visitor": 200, "contributor": 302, "curator": 302, "admin": 302},
    "signup": {"visitor": 200, "contributor": 302, "curator": 302, "admin": 302},
    "signup_done": {"visitor": 200, "contributor": 200, "curator": 200, "admin": 200},
    "confirm": {"visitor": 400, "contributor": 400, "curator": 400, "admin": 400},
    "dashboard": {"visitor": "login", "contributor": 200, "curator": 200, "admin": 200},
    "tokens": {"visitor": "login", "contributor": 200, "curator": 200, "admin": 200},
    "users": {"visitor": "login", "contributor": 403, "curator": 403, "admin": 200},
    "user_edit": {"visitor": "login", "contributor": 403, "curator": 403, "admin": 200},
}


@pytest.mark.parametrize("persona", ["visitor", "contributor", "curator", "admin"])
@pytest.mark.parametrize("page_name", list(GET_MATRIX))
def test_every_accounts_page_answers_each_persona_as_expected(personas, client_for, contributor, page_name, persona):
    expected = GET_MATRIX[page_name][persona]
    url = _urls(contributor)[page_name]
    response = client_for(personas[persona]).get(url)
    if expected == "login":
        assert response.status_code == 302 and response.url.startswith(LOGIN + "?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"), [("visitor", "login"), ("contributor", 403), ("curator", 403), ("admin", 302)]
)
def test_only_administrators_can_change_an_account(personas, client_for, other_contributor, persona, expected):
    url = reverse("accounts:user_edit", args=[other_contributor.pk])
    response = client_for(personas[persona]).post(url, {"role": Role.CURATOR, "status": AccountStatus.ACTIVE})
    other_contributor.refresh_from_db()
    assert other_contributor.role == (Role.CURATOR if persona == "admin" else Role.CONTRIBUTOR)
    if expected == "login":
        assert response.url.startswith(LOGIN)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("persona", ["visitor", "contributor", "curator", "admin"])
def test_revoking_a_token_needs_its_owner(personas, client_for, other_contributor, persona):
    token = _token_for(other_contributor)
    response = client_for(personas[persona]).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == (302 if persona == "visitor" else 404)
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_an_administrator_gets_404_for_a_missing_account(client_for, admin_user):
    assert client_for(admin_user).get(reverse("accounts:user_edit", args=[987654])).status_code == 404


# Sign in and out


def test_sign_in_page_labels_the_field_email_address(client):
    html = client.get(LOGIN).content.decode()
    assert 'for="id_username">Email address' in html
    assert "Create an account" in html


def test_signing_in_with_email_in_any_case_reaches_the_dashboard(client, contributor):
    response = client.post(LOGIN, {"username": "Contributor@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("accounts:dashboard")


def test_a_wrong_password_gets_a_clear_error(client, contributor):
    response = client.post(LOGIN, {"username": "contributor@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_repeated_bad_sign_ins_lock_the_account_out_with_429(client, contributor):
    for _ in range(4):
        assert client.post(LOGIN, {"username": "contributor@example.org", "password": "wrong"}).status_code == 200
    response = client.post(LOGIN, {"username": "contributor@example.org", "password": "wrong"})
    assert response.status_code == 429
    assert "Sign-in is paused for 15 minutes" in response.content.decode()
    again = client.post(LOGIN, {"username": "contributor@example.org", "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_out_refuses_get(client_for, contributor):
    assert client_for(contributor).get(reverse("accounts:logout")).status_code == 405


@pytest.mark.parametrize("persona", ["visitor", "contributor", "curator", "admin"])
def test_sign_out_by_post_returns_everyone_to_the_home_page(personas, client_for, persona):
    response = client_for(personas[persona]).post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == reverse("core:home")


def test_sign_out_by_post_ends_the_session(client_for, contributor):
    client = client_for(contributor)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 302


# Sign up


def test_sign_up_happy_path_emails_a_link_that_activates_and_signs_in(client, signup_data):
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302 and response.url == reverse("accounts:signup_done")
    assert not User.objects.get(email="new.person@example.org").is_active
    [message] = mail.outbox
    path = re.search(r"http://[^/]+(/accounts/confirm/\S+/)", message.body).group(1)
    assert "Confirm my account" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("accounts:dashboard")
    user = User.objects.get(email="new.person@example.org")
    assert user.is_active and user.role == Role.CONTRIBUTOR
    assert "confirmed and you are signed in" in client.get(response.url).content.decode()


def test_sign_up_page_hides_the_honeypot_from_people(client):
    html = client.get(SIGNUP).content.decode()
    assert '<div class="peerhub-honeypot" aria-hidden="true">' in html
    assert "Leave this field empty" in html
    assert 'name="started"' in html


@pytest.mark.parametrize(
    ("change", "message"),
    [({"website": "http://spam.example"}, "a hidden field was filled in"), ({"started": ""}, "could not check")],
)
def test_sign_up_rejects_bots_with_a_clear_message_and_creates_nothing(client, signup_data, change, message):
    response = client.post(SIGNUP, signup_data(**change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists() and not mail.outbox


def test_sign_up_rejects_a_too_fast_submission(client, signup_data):
    client.get(SIGNUP)
    html = client.get(SIGNUP).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    response = client.post(SIGNUP, signup_data(started=started))
    assert "You sent the form too quickly" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_shows_field_errors_in_an_error_summary(client, signup_data):
    response = client.post(SIGNUP, signup_data(email="", password2="different-words-here-1"))
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert '<a href="#id_email">Enter your email address</a>' in html
    assert "The passwords do not match" in html
    assert html.count("<title>Error: ") == 1


def test_sign_up_is_limited_per_address_with_429(client, signup_data):
    for i in range(5):
        assert client.post(SIGNUP, signup_data(email=f"person{i}@example.org")).status_code == 302
    response = client.post(SIGNUP, signup_data(email="person6@example.org"))
    assert response.status_code == 429
    assert "Too many new accounts" in response.content.decode()
    assert not User.objects.filter(email="person6@example.org").exists()


def test_sign_up_does_not_reveal_whether_an_address_is_registered(client, contributor, signup_data):
    new = client.post(SIGNUP, signup_data(email="someone.new@example.org"), follow=True)
    taken = client.post(SIGNUP, signup_data(email="contributor@example.org"), follow=True)
    assert new.redirect_chain == taken.redirect_chain
    assert new.content == taken.content
    assert [m.to for m in mail.outbox] == [["someone.new@example.org"], ["contributor@example.org"]]


def test_sign_up_shows_an_error_instead_of_a_500_when_email_fails(client, signup_data, monkeypatch):
    from peerhub.accounts import services

    def fail(*args, **kwargs):
        raise OSError("mail server unreachable")

    monkeypatch.setattr(services.EmailMessage, "send", fail)
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 200
    assert "could not send the confirmation email" in response.content.decode()


@pytest.mark.parametrize("token", ["tampered", "1:abc:def"])
def test_a_tampered_confirmation_link_gets_a_clear_page(client, token):
    response = client.post(reverse("accounts:confirm", args=[token]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_an_expired_confirmation_link_gets_a_clear_page(client, db, monkeypatch):
    import time

    from django.core import signing

    user = User.objects.create_user(email="late@example.org", password="x", is_active=False)
    four_days_ago = time.time() - 4 * 24 * 60 * 60
    monkeypatch.setattr(signing.time, "time", lambda: four_days_ago)
    token = confirmation_token(user)
    monkeypatch.undo()
    response = client.get(reverse("accounts:confirm", args=[token]))
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert not User.objects.get(pk=user.pk).is_active


def test_a_used_confirmation_link_says_so_and_does_not_sign_in(client, contributor):
    response = client.post(reverse("accounts:confirm", args=[confirmation_token(contributor)]))
    assert response.status_code == 200
    assert "already confirmed" in response.content.decode()
    assert "_auth_user_id" not in client.session


# Dashboard


def _submission(user, title, status, reason=""):
    return Resource.objects.create(
        title=title, resource_type="report", status=status, submitted_by=user, rejection_reason=reason
    )


def test_dashboard_lists_submissions_with_status_and_the_rejection_reason(client_for, contributor, other_contributor,
                                                                          django_assert_max_num_queries):
    published = _submission(contributor, "Peer mentoring toolkit", Status.PUBLISHED)
    _submission(contributor, "A blog post", Status.REJECTED, reason="Not about peer support.")
    _submission(other_contributor, "Someone else's report", Status.SUBMITTED)
    client = client_for(contributor)
    with django_assert_max_num_queries(4):
        html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Contributor" in html
    assert f'href="{published.get_absolute_url()}"' in html
    assert "Published" in html and "Not accepted" in html
    assert "Not about peer support." in html
    assert "Someone else" not in html


def test_dashboard_shows_role_specific_links(client_for, personas):
    links = {persona: client_for(user).get(reverse("accounts:dashboard")).content.decode()
             for persona, user in personas.items() if user}
    queue, users = f'href="{reverse("curate:queue")}"', f'href="{reverse("accounts:users")}"'
    assert all(f'href="{reverse("accounts:tokens")}"' in html for html in links.values())
    assert queue not in links["contributor"].split("<main")[1] and users not in links["contributor"]
    assert queue in links["curator"].split("<main")[1] and users not in links["curator"]
    assert queue in links["admin"].split("<main")[1] and users in links["admin"]
    assert "Administrator" in links["admin"] and "Curator" in links["curator"]


# API tokens


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(client_for, contributor):
    client = client_for(contributor)
    html = client.post(reverse("accounts:tokens"), {"name": "Zotero"}).content.decode()
    raw = re.search(r'id="new-token" type="text" value="([^"]+)"', html).group(1)
    token = ApiToken.objects.get(user=contributor)
    assert token.key_hash == hash_token(raw) and token.name == "Zotero"
    assert raw not in client.get(reverse("accounts:tokens")).content.decode()


def test_the_tokens_page_is_never_cached(client_for, contributor):
    response = client_for(contributor).post(reverse("accounts:tokens"), {"name": "Zotero"})
    assert "no-store" in response["Cache-Control"]


def test_a_token_without_a_name_gets_a_field_error(client_for, contributor):
    response = client_for(contributor).post(reverse("accounts:tokens"), {"name": ""})
    assert "Enter a name for the token" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_token_limit_is_a_clear_error(client_for, contributor):
    for i in range(20):
        _token_for(contributor, name=f"token {i}")
    response = client_for(contributor).post(reverse("accounts:tokens"), {"name": "one more"})
    assert response.status_code == 200 and "the most allowed" in response.content.decode()


def test_tokens_page_lists_only_own_tokens_in_few_queries(client_for, contributor, other_contributor,
                                                          django_assert_max_num_queries):
    for i in range(5):
        _token_for(contributor, name=f"mine {i}")
    _token_for(other_contributor, name="theirs")
    client = client_for(contributor)
    with django_assert_max_num_queries(3):
        html = client.get(reverse("accounts:tokens")).content.decode()
    assert html.count("Revoke<span") == 5 and "theirs" not in html


def test_revoking_your_own_token_deletes_it(client_for, contributor):
    token = _token_for(contributor)
    response = client_for(contributor).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response.url == reverse("accounts:tokens")
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_revoking_a_token_refuses_get(client_for, contributor):
    token = _token_for(contributor)
    assert client_for(contributor).get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405


# User management


def test_user_list_searches_by_email_and_pages_in_few_queries(client_for, admin_user, django_assert_max_num_queries):
    User.objects.bulk_create(User(email=f"person{i:02}@nhs.example") for i in range(30))
    client = client_for(admin_user)
    with django_assert_max_num_queries(4):
        html = client.get(reverse("accounts:users"), {"q": "nhs.example", "page": 2}).content.decode()
    assert "30 accounts with" in html and "person29@nhs.example" in html and "admin@example.org" not in html
    assert 'href="?q=nhs.example&amp;page=1"' in html


def test_an_administrator_changes_a_role_and_it_is_audited(client_for, admin_user, contributor):
    url = reverse("accounts:user_edit", args=[contributor.pk])
    response = client_for(admin_user).post(url, {"role": Role.CURATOR, "status": AccountStatus.ACTIVE})
    assert response.status_code == 302 and response.url == reverse("accounts:users")
    event = AuditEvent.objects.get(subject_type="accounts.user", subject_id=str(contributor.pk))
    assert event.actor == admin_user and event.changes == {"role": ["contributor", "curator"]}


def test_an_administrator_confirms_a_professional_and_it_is_audited(client_for, admin_user, contributor):
    url = reverse("accounts:user_edit", args=[contributor.pk])
    assert 'name="is_professional"' in client_for(admin_user).get(url).content.decode()
    data = {"role": Role.CONTRIBUTOR, "status": AccountStatus.ACTIVE, "is_professional": "on"}
    assert client_for(admin_user).post(url, data).status_code == 302
    event = AuditEvent.objects.get(subject_type="accounts.user", subject_id=str(contributor.pk))
    assert event.action == "professional_confirmed" and event.changes == {"is_professional": [False, True]}
    contributor.refresh_from_db()
    assert contributor.is_professional  # what stories' "professionals only" consent checks (core.permissions)
    assert "Confirmed professional" in client_for(admin_user).get(reverse("accounts:users")).content.decode()


def test_an_administrator_deactivates_an_account_which_then_cannot_sign_in(client_for, admin_user, contributor):
    url = reverse("accounts:user_edit", args=[contributor.pk])
    client_for(admin_user).post(url, {"role": Role.CONTRIBUTOR, "status": AccountStatus.DEACTIVATED})
    client = client_for(None)
    response = client.post(LOGIN, {"username": "contributor@example.org", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": Role.CURATOR, "status": AccountStatus.ACTIVE}, "You cannot remove your own administrator role"),
        ({"role": Role.ADMIN, "status": AccountStatus.DEACTIVATED}, "You cannot deactivate your own account"),
    ],
)
def test_an_administrator_cannot_demote_or_deactivate_themselves(client_for, admin_user, data, message):
    response = client_for(admin_user).post(reverse("accounts:user_edit", args=[admin_user.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN and admin_user.is_active


def test_user_edit_rejects_bad_choices_with_field_errors(client_for, admin_user, contributor):
    url = reverse("accounts:user_edit", args=[contributor.pk])
    response = client_for(admin_user).post(url, {"role": "overlord", "status": AccountStatus.PENDING})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of the roles listed" in html and "Choose one of the statuses listed" in html
