"""Bearer-token authentication for the API: a token opens the API as its owner while the owner is
active; the lookup is by hash; last use is recorded at most once a minute; reads without a
token are a visitor's, reads with a bad token are refused."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from peerhub.accounts.api_auth import ApiTokenAuth, mark_used, token_or_anonymous
from peerhub.accounts.models import ApiToken
from peerhub.accounts.services import create_api_token

SUBMIT = "/api/resources"
SUBMISSION = {"title": "Peer mentoring in prisons", "resource_type": "report"}


def request_with(header: str | None):
    headers = {"Authorization": header} if header is not None else {}
    return RequestFactory().get("/api/resources/1", headers=headers)


def authenticate(raw: str):
    return ApiTokenAuth()(request_with(f"Bearer {raw}"))


def test_it_returns_the_tokens_owner(contributor):
    _token, raw = create_api_token(contributor, "laptop")
    assert authenticate(raw) == contributor


def test_it_finds_the_token_by_its_hash_not_its_raw_value(contributor):
    token, raw = create_api_token(contributor, "laptop")
    assert authenticate(token.key_hash) is None  # the stored hash is not itself a credential
    assert authenticate(raw) == contributor


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer"])
def test_it_rejects_anything_but_a_known_bearer_token(contributor, header):
    create_api_token(contributor, "laptop")
    assert ApiTokenAuth()(request_with(header)) is None


def test_it_rejects_the_token_of_a_deactivated_person(contributor):
    _token, raw = create_api_token(contributor, "laptop")
    contributor.is_active = False
    contributor.save()
    assert authenticate(raw) is None


def test_it_records_the_first_use(contributor):
    token, raw = create_api_token(contributor, "laptop")
    authenticate(raw)
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(seconds=5)


def test_it_does_not_record_a_use_again_within_a_minute(contributor, django_assert_num_queries):
    token, raw = create_api_token(contributor, "laptop")
    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    with django_assert_num_queries(1):  # the lookup only, no write
        authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at == recent


def test_it_records_a_use_again_after_a_minute(contributor):
    token, _raw = create_api_token(contributor, "laptop")
    token.last_used_at = timezone.now() - timedelta(seconds=61)
    mark_used(token)
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(seconds=5)


def test_a_read_without_a_token_is_a_visitors(db):
    user = token_or_anonymous(request_with(None))
    assert user.is_authenticated is False


def test_a_read_with_a_bad_token_is_refused_not_downgraded_to_a_visitor(db):
    assert token_or_anonymous(request_with("Bearer wrong")) is None


def test_the_api_answers_401_in_json_for_a_bad_token(client, db):
    response = client.get("/api/resources/1", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Send a valid API token: Authorization: Bearer <token>."}


def test_the_api_accepts_a_write_with_a_valid_token(client, contributor):
    _token, raw = create_api_token(contributor, "laptop")
    response = client.post(SUBMIT, SUBMISSION, content_type="application/json",
                           headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 201


def test_the_api_refuses_a_write_with_a_deactivated_persons_token(client, contributor):
    _token, raw = create_api_token(contributor, "laptop")
    contributor.is_active = False
    contributor.save()
    response = client.post(SUBMIT, SUBMISSION, content_type="application/json",
                           headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_the_api_ignores_a_signed_in_browser_session(client_for, contributor):
    # API writes need a token: a session cookie alone would open them to cross-site requests.
    response = client_for(contributor).post(SUBMIT, SUBMISSION, content_type="application/json")
    assert response.status_code == 401
