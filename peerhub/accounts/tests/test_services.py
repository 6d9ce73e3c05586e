import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import override_settings
from django.urls import reverse

from peerhub.accounts import services
from peerhub.accounts.models import ApiToken, Role, User, hash_token
from peerhub.accounts.selectors import USER_SUBJECT, AccountStatus, ConfirmationProblem, account_status
from peerhub.accounts.tests.conftest import STRONG_PASSWORD
from peerhub.audit.models import AuditEvent

CONFIRM_LINK = re.compile(r"http\S+/accounts/confirm/\S+/")


def _register(email="new.person@example.org", password=STRONG_PASSWORD):
    services.register_user(email=email, display_name="New Person", password=password)


def _link_in(message) -> str:
    return CONFIRM_LINK.search(message.body).group(0)


def test_register_creates_an_inactive_contributor_and_emails_a_confirmation_link(db):
    _register(email="New.Person@Example.org")
    user = User.objects.get(email="new.person@example.org")
    assert (user.is_active, user.role, user.display_name) == (False, Role.CONTRIBUTOR, "New Person")
    assert user.check_password(STRONG_PASSWORD)
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert _link_in(message).startswith(settings.SITE_URL + reverse("accounts:confirm", args=["x"])[:-2])
    assert AuditEvent.objects.filter(subject_type=USER_SUBJECT, subject_id=str(user.pk), action="signed_up").exists()


def test_register_with_a_registered_address_emails_the_owner_and_creates_nothing(contributor):
    _register(email="CONTRIBUTOR@example.org", password="a-different-password-77")
    assert User.objects.filter(email="contributor@example.org").count() == 1
    contributor.refresh_from_db()
    assert contributor.check_password("correct-horse-battery-staple")
    [message] = mail.outbox
    assert message.to == ["contributor@example.org"]
    assert "already an account" in message.body and not CONFIRM_LINK.search(message.body)


def test_register_tells_a_deactivated_owner_their_account_is_deactivated(contributor, admin_user):
    services.update_user(admin_user, contributor, role=Role.CONTRIBUTOR, status=AccountStatus.DEACTIVATED)
    _register(email="contributor@example.org")
    [message] = mail.outbox
    assert "deactivated" in message.body and not CONFIRM_LINK.search(message.body)


def test_register_again_before_confirming_sends_a_new_link_and_keeps_the_first_password(db):
    _register()
    _register(password="a-different-password-77")
    assert len(mail.outbox) == 2 and all(CONFIRM_LINK.search(m.body) for m in mail.outbox)
    assert User.objects.get(email="new.person@example.org").check_password(STRONG_PASSWORD)


def test_register_saves_nothing_when_the_email_cannot_be_sent(db, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("mail server unreachable")

    monkeypatch.setattr(services.EmailMessage, "send", fail)
    with pytest.raises(ValidationError, match="could not send the confirmation email"):
        _register()
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert not AuditEvent.objects.exists()


def test_production_settings_hash_passwords_with_argon2(db):
    assert settings.PRODUCTION_PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=settings.PRODUCTION_PASSWORD_HASHERS):
        encoded = make_password(STRONG_PASSWORD)
        assert encoded.startswith("argon2$")
        assert check_password(STRONG_PASSWORD, encoded) and not check_password("wrong", encoded)
        _register()
        assert User.objects.get(email="new.person@example.org").password.startswith("argon2$")


def test_confirm_account_activates_and_records_it(db):
    _register()
    token = _link_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    user = services.confirm_account(token)
    assert user.is_active and account_status(user) == AccountStatus.ACTIVE
    assert AuditEvent.objects.filter(subject_id=str(user.pk), action="confirmed").exists()
    with pytest.raises(ConfirmationProblem):
        services.confirm_account(token)


def test_create_api_token_stores_only_the_hash_of_the_raw_value(contributor):
    token, raw = services.create_api_token(contributor, "  Zotero import ")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.name == "Zotero import"
    assert stored.key_hash == hash_token(raw) and stored.prefix == raw[:8]
    assert raw not in {stored.key_hash, stored.name} and len(raw) >= 40
    assert AuditEvent.objects.filter(subject_type="accounts.api_token", action="created").count() == 1


def test_create_api_token_rejects_a_blank_name(contributor):
    with pytest.raises(ValidationError) as error:
        services.create_api_token(contributor, "   ")
    assert error.value.message_dict == {"name": ["Enter a name for the token"]}


def test_create_api_token_refuses_more_than_the_limit(contributor):
    ApiToken.objects.bulk_create(
        ApiToken(user=contributor, name=f"t{i}", key_hash=hash_token(str(i)), prefix=str(i))
        for i in range(services.MAX_TOKENS_PER_USER)
    )
    with pytest.raises(ValidationError, match="the most allowed"):
        services.create_api_token(contributor, "one too many")


def test_revoke_api_token_deletes_the_persons_own_token(contributor):
    token, _raw = services.create_api_token(contributor, "Old script")
    services.revoke_api_token(contributor, token.pk)
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert AuditEvent.objects.filter(subject_type="accounts.api_token", action="revoked").count() == 1


def test_revoke_api_token_reports_someone_elses_token_as_missing(contributor, other_contributor):
    token, _raw = services.create_api_token(other_contributor, "Theirs")
    with pytest.raises(Http404):
        services.revoke_api_token(contributor, token.pk)
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_update_user_changes_the_role_and_records_who_did_it(admin_user, contributor):
    services.update_user(admin_user, contributor, role=Role.CURATOR, status=AccountStatus.ACTIVE)
    contributor.refresh_from_db()
    assert contributor.role == Role.CURATOR
    event = AuditEvent.objects.get(subject_type=USER_SUBJECT, subject_id=str(contributor.pk))
    assert (event.action, event.actor) == ("role_changed", admin_user)
    assert event.changes == {"role": ["contributor", "curator"]}


def test_update_user_confirms_and_removes_professional_standing_each_audited(admin_user, contributor):
    services.update_user(admin_user, contributor, role=Role.CONTRIBUTOR, status=AccountStatus.ACTIVE,
                         is_professional=True)
    services.update_user(admin_user, contributor, role=Role.CONTRIBUTOR, status=AccountStatus.ACTIVE,
                         is_professional=False)
    contributor.refresh_from_db()
    events = AuditEvent.objects.filter(subject_type=USER_SUBJECT, subject_id=str(contributor.pk)).order_by("pk")
    assert [e.action for e in events] == ["professional_confirmed", "professional_removed"]
    assert contributor.is_professional is False


def test_update_user_deactivates_and_reactivates(admin_user, contributor):
    services.update_user(admin_user, contributor, role=Role.CONTRIBUTOR, status=AccountStatus.DEACTIVATED)
    assert account_status(User.objects.get(pk=contributor.pk)) == AccountStatus.DEACTIVATED
    services.update_user(admin_user, contributor, role=Role.CONTRIBUTOR, status=AccountStatus.ACTIVE)
    assert User.objects.get(pk=contributor.pk).is_active
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["deactivated", "reactivated"]


def test_update_user_can_block_an_account_still_waiting_for_confirmation(admin_user):
    pending = User.objects.create_user(email="pending@example.org", password="x", is_active=False)
    services.update_user(admin_user, pending, role=Role.CONTRIBUTOR, status=AccountStatus.DEACTIVATED)
    assert account_status(User.objects.get(pk=pending.pk)) == AccountStatus.DEACTIVATED


def test_update_user_records_nothing_when_nothing_changes(admin_user, contributor):
    services.update_user(admin_user, contributor, role=Role.CONTRIBUTOR, status=AccountStatus.ACTIVE)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("role", "status", "field"),
    [(Role.CURATOR, AccountStatus.ACTIVE, "role"), (Role.ADMIN, AccountStatus.DEACTIVATED, "status")],
)
def test_an_administrator_cannot_demote_or_deactivate_themselves(admin_user, role, status, field):
    with pytest.raises(ValidationError) as error:
        services.update_user(admin_user, admin_user, role=role, status=status)
    assert "You cannot" in error.value.message_dict[field][0]
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN and admin_user.is_active


def test_update_user_refuses_to_put_an_active_account_back_to_waiting(admin_user, contributor):
    with pytest.raises(ValidationError) as error:
        services.update_user(admin_user, contributor, role=Role.CONTRIBUTOR, status=AccountStatus.PENDING)
    assert "status" in error.value.message_dict


def test_update_user_refuses_an_unknown_role(admin_user, contributor):
    with pytest.raises(ValidationError) as error:
        services.update_user(admin_user, contributor, role="overlord", status=AccountStatus.ACTIVE)
    assert "role" in error.value.message_dict
