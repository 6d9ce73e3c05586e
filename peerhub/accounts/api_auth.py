"""Bearer-token authentication for the JSON API.

A client sends `Authorization: Bearer <token>`. Only the token's sha256 hash is stored, so the
raw value is hashed and looked up; a token of a deactivated person opens nothing."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import HttpBearer

from peerhub.accounts.models import ApiToken, hash_token

# Recording every request would turn each API read into a write; once a minute is enough
# to show a person which tokens are still in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def find_active_token(raw: str) -> ApiToken | None:
    if not raw:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw), user__is_active=True).first()


def mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    # update() rather than save(): concurrent requests must not overwrite other token fields.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


class ApiTokenAuth(HttpBearer):
    """The person the bearer token belongs to; None (ninja then answers 401) otherwise."""

    def authenticate(self, request, token: str):
        found = find_active_token(token.strip())
        if found is None:
            return None
        mark_used(found)
        return found.user


api_token_auth = ApiTokenAuth()


def token_or_anonymous(request):
    """For reads open to everyone: no Authorization header means a visitor, but a header that
    is present must hold a valid token (a typo should not silently hide the person's drafts)."""
    if not request.headers.get(ApiTokenAuth.header):
        return AnonymousUser()
    return api_token_auth(request)
