"""The HTTP client for harvesting: a contact User-Agent, timeouts, retries with exponential
backoff, and respect for the sources' rate limits (429 and 503 with Retry-After, and Crossref's
X-Rate-Limit headers). Tests hand in an httpx transport that replays recorded responses."""

import email.utils
import time
from datetime import UTC, datetime

import httpx
from django.conf import settings

MAX_WAIT_SECONDS = 120  # a source asking us to wait longer than this is treated as refusing
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 30.0
RETRY_STATUSES = {429, 500, 502, 503, 504}


class HarvestHTTPError(Exception):
    """The source could not be reached, or refused, after every try. The message is for curators."""


def user_agent() -> str:
    """Europe PMC, NCBI, Crossref and OpenAlex all ask automated clients to say who to contact."""
    contact = settings.HARVEST_CONTACT_EMAIL
    contact_part = f"; mailto:{contact}" if contact else ""
    return f"PeerSupportHub/1.0 (+{settings.SITE_URL}{contact_part})"


def default_transport() -> httpx.BaseTransport | None:
    """None means httpx's real network transport; tests replace this with a replaying one."""
    return None


def build_client(transport: httpx.BaseTransport | None = None, timeout: float | None = None) -> httpx.Client:
    return httpx.Client(
        transport=transport or default_transport(),
        timeout=httpx.Timeout(timeout or settings.HARVEST_TIMEOUT_SECONDS),
        headers={"User-Agent": user_agent()},
        follow_redirects=True,  # Crossref answers plain-HTTP requests with a 301 to HTTPS
    )


def retry_after_seconds(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either a number, or an HTTP date."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def rate_limit_interval(response: httpx.Response) -> float | None:
    """Crossref says "X-Rate-Limit-Limit: 5" per "X-Rate-Limit-Interval: 1s": at most one request
    every 0.2 seconds."""
    limit, interval = response.headers.get("x-rate-limit-limit"), response.headers.get("x-rate-limit-interval")
    if not (limit and interval and limit.isdigit() and int(limit) > 0 and interval.rstrip("s").isdigit()):
        return None
    return int(interval.rstrip("s")) / int(limit)


class PoliteClient:
    """GET with retries and pacing. `sleep` and `clock` are injectable so tests never wait."""

    def __init__(self, client: httpx.Client, *, max_tries: int | None = None, min_interval: float = 0.0,
                 sleep=time.sleep, clock=time.monotonic):
        self.client = client
        self.max_tries = max_tries or settings.HARVEST_MAX_TRIES
        self.min_interval = min_interval
        self.sleep, self.clock = sleep, clock
        self._last_request_at: float | None = None

    def get(self, url: str, **kwargs) -> httpx.Response:
        """The response to a GET; a 404 or other client error is returned for the caller to judge."""
        for attempt in range(1, self.max_tries + 1):
            response = self._attempt(url, attempt, **kwargs)
            if response is not None:
                return response
        raise HarvestHTTPError(f"no tries were allowed for {url} (HARVEST_MAX_TRIES is {self.max_tries})")

    def close(self) -> None:
        self.client.close()

    def _attempt(self, url: str, attempt: int, **kwargs) -> httpx.Response | None:
        self._pace()
        last = attempt == self.max_tries
        try:
            response = self.client.get(url, **kwargs)
        except httpx.TransportError as error:
            if last:
                raise HarvestHTTPError(f"could not reach {httpx.URL(url).host} ({_describe(error)})") from error
            self.sleep(backoff(attempt))
            return None
        if response.status_code not in RETRY_STATUSES:
            self.min_interval = max(self.min_interval, rate_limit_interval(response) or 0.0)
            return response
        self._wait_before_retry(response, attempt, last)
        return None

    def _wait_before_retry(self, response: httpx.Response, attempt: int, last: bool) -> None:
        host = response.request.url.host
        if last:
            raise HarvestHTTPError(f"{host} answered {response.status_code} after {attempt} tries")
        wait = retry_after_seconds(response)
        if wait is not None and wait > MAX_WAIT_SECONDS:
            raise HarvestHTTPError(f"{host} asked us to wait {int(wait)} seconds before trying again")
        self.sleep(wait if wait is not None else backoff(attempt))

    def _pace(self) -> None:
        # Spacing requests keeps us inside the source's published rate limit before it has to say so.
        now = self.clock()
        if self._last_request_at is not None and self.min_interval:
            gap = self._last_request_at + self.min_interval - now
            if gap > 0:
                self.sleep(gap)
                now += gap
        self._last_request_at = now


def backoff(attempt: int) -> float:
    return min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))


def _describe(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "it did not answer in time"
    return str(error) or type(error).__name__
