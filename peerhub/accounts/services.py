"""Writes for accounts: sign-up and confirmation, API tokens, and administrators' changes to
people's roles and status. Each service runs in one transaction, so nothing is half-saved."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from peerhub.accounts.models import ApiToken, Role, User, hash_token
from peerhub.accounts.selectors import (
    CONFIRM_MAX_AGE,
    SIGNUP_WINDOW_SECONDS,
    TOKEN_SUBJECT,
    USER_SUBJECT,
    AccountStatus,
    account_status,
    confirmation_token,
    signup_rate_key,
    user_for_confirmation,
)
from peerhub.audit.services import record_event
from peerhub.core.permissions import get_api_token_for_user

MAX_TOKENS_PER_USER = 20
EMAIL_FAILED = "We could not send the confirmation email just now, so we have not created the account. Try again later."


def user_snapshot(user) -> dict:
    return {"email": user.email, "display_name": user.display_name, "role": user.role, "is_active": user.is_active,
            "is_professional": user.is_professional}


def _site_link(url_name: str, *args) -> str:
    return settings.SITE_URL + reverse(url_name, args=args)


def _send_email(user, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {"user": user, **context})
    try:
        EmailMessage(subject, body, to=[user.email]).send()
    except OSError as error:  # smtplib errors are OSErrors; raising rolls the sign-up back
        raise ValidationError(EMAIL_FAILED) from error


def send_confirmation_email(user) -> None:
    link = _site_link("accounts:confirm", confirmation_token(user))
    context = {"link": link, "days": CONFIRM_MAX_AGE.days}
    _send_email(user, "Confirm your Peer Support Hub account", "accounts/email/confirm.txt", context)


def _email_existing_owner(user) -> None:
    """Someone signed up with an address that already has an account. Only its owner hears
    about it, so the sign-up page cannot be used to find out who has an account."""
    if account_status(user) == AccountStatus.PENDING:
        send_confirmation_email(user)  # they probably lost the first email
        return
    context = {"login_link": _site_link("accounts:login"), "deactivated": not user.is_active}
    _send_email(user, "You already have a Peer Support Hub account", "accounts/email/already_registered.txt", context)


def _create_inactive_user(email: str, display_name: str, password: str) -> User | None:
    try:
        with transaction.atomic():  # a savepoint: two sign-ups for one address may race
            return User.objects.create_user(
                email=email, password=password, display_name=display_name, role=Role.CONTRIBUTOR, is_active=False
            )
    except IntegrityError:
        return None


@transaction.atomic
def register_user(*, email: str, display_name: str, password: str) -> None:
    """Creates an inactive contributor and emails a confirmation link; for an address already
    registered, emails its owner instead. Either way the caller sees the same outcome."""
    email = email.strip().lower()
    user = None if User.objects.filter(email=email).exists() else _create_inactive_user(email, display_name, password)
    if user is None:
        make_password(password)  # the same slow hashing as a new account, so timing reveals nothing
        _email_existing_owner(User.objects.get(email=email))
        return
    record_event(subject_type=USER_SUBJECT, subject_id=user.pk, action="signed_up", actor=user, before={},
                 after=user_snapshot(user))
    send_confirmation_email(user)


def note_signup_attempt(ip_address: str | None) -> None:
    key = signup_rate_key(ip_address)
    cache.add(key, 0, timeout=SIGNUP_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # the hour ended between the two calls
        cache.set(key, 1, timeout=SIGNUP_WINDOW_SECONDS)


@transaction.atomic
def confirm_account(token: str) -> User:
    """Activates the account a confirmation link names (ConfirmationProblem if it cannot)."""
    user = user_for_confirmation(token)
    before = user_snapshot(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_event(subject_type=USER_SUBJECT, subject_id=user.pk, action="confirmed", actor=user, before=before,
                 after=user_snapshot(user))
    return user


def _token_snapshot(token) -> dict:
    return {"name": token.name, "prefix": token.prefix, "user": token.user.email}


@transaction.atomic
def create_api_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token for the user, and its raw value, which is never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token"})
    if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(f"You already have {MAX_TOKENS_PER_USER} tokens, the most allowed. Revoke one you "
                              "no longer use, then try again.")
    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(user=user, name=name[:100], key_hash=hash_token(raw), prefix=raw[:8])
    record_event(subject_type=TOKEN_SUBJECT, subject_id=token.pk, action="created", actor=user, before={},
                 after=_token_snapshot(token))
    return token, raw


@transaction.atomic
def revoke_api_token(user, token_id) -> None:
    """Deletes one of the user's own tokens; anyone else's is reported as missing (404)."""
    token = get_api_token_for_user(user, token_id)
    snapshot = _token_snapshot(token)
    token.delete()
    record_event(subject_type=TOKEN_SUBJECT, subject_id=token_id, action="revoked", actor=user, before=snapshot,
                 after={})


def _refuse_self_lockout(actor, target, role: str, status: str) -> None:
    if actor.pk != target.pk:
        return
    errors = {}
    if role != Role.ADMIN:
        errors["role"] = "You cannot remove your own administrator role. Ask another administrator to do it."
    if status != AccountStatus.ACTIVE:
        errors["status"] = "You cannot deactivate your own account. Ask another administrator to do it."
    if errors:
        raise ValidationError(errors)


def _check_choices(old_status: str, role: str, status: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": "Choose one of the roles listed"})
    allowed = [AccountStatus.ACTIVE, AccountStatus.DEACTIVATED]
    if status not in allowed and not (status == AccountStatus.PENDING == old_status):
        raise ValidationError({"status": "Choose one of the statuses listed"})


def _change_action(old_status: str, new_status: str, old_role: str, new_role: str) -> str:
    if new_status != old_status and new_status == AccountStatus.DEACTIVATED:
        return "deactivated"
    if new_status != old_status and new_status == AccountStatus.ACTIVE:
        return "reactivated" if old_status == AccountStatus.DEACTIVATED else "activated"
    return "role_changed" if new_role != old_role else ""


def _professional_action(was: bool, now: bool) -> str:
    if was == now:
        return ""
    return "professional_confirmed" if now else "professional_removed"


@transaction.atomic
def update_user(actor, target, *, role: str, status: str, is_professional: bool | None = None) -> User:
    """An administrator changes someone's role, status or confirmed professional standing; recorded
    in the audit history (one event per save, naming the most significant change)."""
    old_status, before = account_status(target), user_snapshot(target)
    _check_choices(old_status, role, status)
    _refuse_self_lockout(actor, target, role, status)
    professional = target.is_professional if is_professional is None else bool(is_professional)
    action = (_change_action(old_status, status, target.role, role)
              or _professional_action(target.is_professional, professional))
    if not action:
        return target
    target.role, target.is_active, target.is_professional = role, status == AccountStatus.ACTIVE, professional
    target.save(update_fields=["role", "is_active", "is_professional"])
    record_event(subject_type=USER_SUBJECT, subject_id=target.pk, action=action, actor=actor, before=before,
                 after=user_snapshot(target))
    return target
