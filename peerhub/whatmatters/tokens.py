"""Tokens: an idempotency token for each rendered form, and the signed resume link (and cookie)
that lets a person come back to an unfinished survey without an account."""

import re
import secrets

from django.core import signing

RESUME_SALT = "whatmatters.resume"
RESUME_MAX_AGE = 60 * 60 * 24 * 30  # 30 days: long enough to finish a survey, short enough to expire
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_form_token() -> str:
    return secrets.token_urlsafe(18)


def is_valid_form_token(token: str) -> bool:
    return bool(token) and TOKEN_PATTERN.match(token) is not None


def resume_cookie_name(exercise) -> str:
    return f"whatmatters-{exercise.pk}"


def sign_response_key(response) -> str:
    return signing.dumps({"r": response.key, "e": response.exercise_id}, salt=RESUME_SALT, compress=True)


def unsign_response_key(value: str, exercise) -> str | None:
    """The response key in a resume link or cookie for this exercise; None if forged, expired or
    for another exercise."""
    try:
        data = signing.loads(value or "", salt=RESUME_SALT, max_age=RESUME_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("e") != exercise.pk:
        return None
    return data.get("r")
