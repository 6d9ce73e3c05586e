"""Replaying the real recorded API responses (shared/data/api-recordings) through an httpx
transport, so harvesting is tested on what Europe PMC, PubMed, Crossref and OpenAlex really
send, without the network. Missing recordings skip with a message, or fail under CI=true."""

import json
import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import yaml
from django.conf import settings

from peerhub.freshness.http import PoliteClient


def recordings() -> Path:
    path = Path(settings.SHARED_DATA_DIR, "data", "api-recordings")
    if not path.exists():
        message = f"needs the recorded API responses at {path} (set PEERHUB_SHARED_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def recorded(*parts: str) -> bytes:
    return recordings().joinpath(*parts).read_bytes()


def recorded_json(*parts: str):
    return json.loads(recorded(*parts))


def cassette(name: str) -> list[dict]:
    """The interactions of a Crossref cassette (request, response status, headers, body)."""
    return yaml.safe_load(recorded("crossref", "cassettes", f"{name}.yaml"))["interactions"]


def cassette_response(interaction: dict, request: httpx.Request) -> httpx.Response:
    answer = interaction["response"]
    headers = {k: v[0] for k, v in answer["headers"].items() if k not in ("content-encoding", "transfer-encoding",
                                                                           "content-length")}
    body = answer["body"]["string"]
    if isinstance(body, bytes):  # stored gzipped as !!binary
        import gzip
        body = gzip.decompress(body)
    return httpx.Response(answer["status"]["code"], headers=headers, content=body, request=request)


class Replay:
    """An httpx transport answering each request with `answer(request)`, and keeping the requests."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]):
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def transport(self) -> httpx.MockTransport:
        def handle(request):
            self.requests.append(request)
            return self.answer(request)

        return httpx.MockTransport(handle)

    def client(self) -> PoliteClient:
        client = httpx.Client(transport=self.transport(), follow_redirects=True)
        return PoliteClient(client, max_tries=3, sleep=lambda seconds: None)

    def params(self, index: int) -> dict:
        return dict(self.requests[index].url.params)


def json_response(request: httpx.Request, data, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=data, request=request)


@pytest.fixture
def replay():
    return Replay
