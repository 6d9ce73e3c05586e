"""Reads for accounts: confirmation links, account status, API tokens, the user list and the
sign-up rate limit. Views, the API and commands call these."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Cast

from peerhub.accounts.models import ApiToken, User
from peerhub.audit.models import AuditEvent

USER_SUBJECT = "accounts.user"
TOKEN_SUBJECT = "accounts.api_token"
CONFIRM_SALT = "peerhub.accounts.confirm"
CONFIRM_MAX_AGE = timedelta(days=3)
USERS_PER_PAGE = 25
SIGNUP_WINDOW_SECONDS = 60 * 60


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Waiting for email confirmation"
    DEACTIVATED = "deactivated", "Deactivated"


class ConfirmationProblem(Exception):
    """Why a confirmation link cannot be used: kind is "expired", "invalid" or "used"."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _deactivation_events():
    return AuditEvent.objects.filter(subject_type=USER_SUBJECT, action="deactivated")


def with_deactivation_flag(users):
    """Annotates `was_deactivated`, so a page of users needs no query per row."""
    events = _deactivation_events().filter(subject_id=Cast(OuterRef("pk"), models.CharField()))
    return users.annotate(was_deactivated=Exists(events))


def account_status(user) -> AccountStatus:
    """Active, waiting for email confirmation, or deactivated. Both inactive states look the
    same in the database; an administrator's deactivation is what tells them apart (it is in
    the audit history), so an old confirmation link can never undo a deactivation."""
    if user.is_active:
        return AccountStatus.ACTIVE
    flagged = getattr(user, "was_deactivated", None)
    if flagged is None:
        flagged = _deactivation_events().filter(subject_id=str(user.pk)).exists()
    if flagged or user.last_login is not None:
        return AccountStatus.DEACTIVATED
    return AccountStatus.PENDING


def confirmation_token(user) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(user.pk))


def _user_pk_from_token(token: str) -> str:
    try:
        return signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ConfirmationProblem("expired") from None
    except signing.BadSignature:
        raise ConfirmationProblem("invalid") from None


def user_for_confirmation(token: str) -> User:
    """The account a confirmation link activates, or ConfirmationProblem saying why not."""
    user = User.objects.filter(pk=int(_user_pk_from_token(token))).first()
    if user is None:
        raise ConfirmationProblem("invalid")
    status = account_status(user)
    if status == AccountStatus.ACTIVE:
        raise ConfirmationProblem("used")
    if status == AccountStatus.DEACTIVATED:
        raise ConfirmationProblem("invalid")
    return user


def api_tokens_of(user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def users_page(query: str, page_number) -> Page:
    """One page of accounts, optionally only those whose email contains the query. Each user
    carries `status` (an AccountStatus)."""
    users = with_deactivation_flag(User.objects.order_by("email"))
    if query:
        users = users.filter(email__icontains=query)
    page = Paginator(users, USERS_PER_PAGE).get_page(page_number)
    page.object_list = list(page.object_list)
    for user in page.object_list:
        user.status = account_status(user)
    return page


def signup_limit_per_hour() -> int:
    return getattr(settings, "SIGNUP_LIMIT_PER_HOUR", 5)


def signup_rate_key(ip_address: str | None) -> str:
    return f"accounts:signups:{ip_address or 'unknown'}"


def signup_limit_reached(ip_address: str | None) -> bool:
    return cache.get(signup_rate_key(ip_address), 0) >= signup_limit_per_hour()
