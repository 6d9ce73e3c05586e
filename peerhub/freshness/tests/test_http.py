"""The harvesting HTTP client: contact User-Agent, retries with backoff, Retry-After and 429,
pacing by Crossref's rate-limit headers, and clear errors when a source stays unreachable."""

from datetime import UTC, datetime

import httpx
import pytest

from peerhub.freshness.http import HarvestHTTPError, PoliteClient, build_client, retry_after_seconds, user_agent
from peerhub.freshness.tests.conftest import cassette, cassette_response


class Clock:
    def __init__(self):
        self.now, self.slept = 0.0, []

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds

    def __call__(self):
        return self.now


def polite(answers, clock=None, **options):
    """A client whose transport gives the answers in turn (a status, or an exception to raise)."""
    clock = clock or Clock()
    queue = list(answers)

    def handle(request):
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        return httpx.Response(status, headers=headers, text="{}", request=request)

    client = httpx.Client(transport=httpx.MockTransport(handle))
    return PoliteClient(client, sleep=clock.sleep, clock=clock, **options), clock


def test_user_agent_names_the_hub_and_the_contact_address(settings):
    settings.HARVEST_CONTACT_EMAIL = "curators@example.org"
    assert "mailto:curators@example.org" in user_agent() and user_agent().startswith("PeerSupportHub/")
    seen = []
    client = build_client(httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200, request=r)))
    client.get("https://api.crossref.org/works")
    assert seen[0].headers["user-agent"] == user_agent()


def test_429_with_retry_after_waits_as_told_then_succeeds():
    client, clock = polite([(429, {"Retry-After": "7"}), 200], max_tries=3)
    assert client.get("https://api.openalex.org/works").status_code == 200
    assert clock.slept == [7.0]


def test_server_errors_and_dropped_connections_back_off_exponentially():
    client, clock = polite([503, httpx.ConnectError("refused"), 200], max_tries=3)
    assert client.get("https://www.ebi.ac.uk/x").status_code == 200
    assert clock.slept == [1.0, 2.0]


def test_a_source_still_failing_after_every_try_is_a_clear_error():
    client, _ = polite([500, 500, 500], max_tries=3)
    with pytest.raises(HarvestHTTPError, match="www.ebi.ac.uk answered 500 after 3 tries"):
        client.get("https://www.ebi.ac.uk/x")


def test_timeouts_say_the_source_did_not_answer_in_time():
    client, _ = polite([httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow")], max_tries=2)
    with pytest.raises(HarvestHTTPError, match="could not reach eutils.ncbi.nlm.nih.gov .it did not answer in time"):
        client.get("https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi")


def test_a_retry_after_longer_than_two_minutes_is_refused_not_waited_for():
    client, clock = polite([(429, {"Retry-After": "3600"})], max_tries=3)
    with pytest.raises(HarvestHTTPError, match="asked us to wait 3600 seconds"):
        client.get("https://api.crossref.org/works")
    assert clock.slept == []


def test_retry_after_as_an_http_date():
    response = httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"},
                              request=httpx.Request("GET", "https://x.org"))
    assert retry_after_seconds(response, now=datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)) == 30.0


def test_a_404_is_returned_for_the_harvester_to_judge_without_retrying():
    client, clock = polite([404])
    assert client.get("https://api.crossref.org/works/10.1/x").status_code == 404 and clock.slept == []


def test_crossrefs_recorded_rate_limit_headers_space_the_following_requests():
    interaction = cassette("test_works_bad_id_warn")[0]  # X-Rate-Limit-Limit: 5 per 1s
    clock = Clock()
    transport = httpx.MockTransport(lambda request: cassette_response(interaction, request))
    client = PoliteClient(httpx.Client(transport=transport), sleep=clock.sleep, clock=clock)
    client.get(interaction["request"]["uri"])
    client.get(interaction["request"]["uri"])
    assert client.min_interval == pytest.approx(0.2) and clock.slept == [pytest.approx(0.2)]
