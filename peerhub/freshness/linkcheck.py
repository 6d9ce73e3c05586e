"""Checking web addresses: HEAD first (cheap), then GET when HEAD is refused (405, 501), fails,
or is answered with an error (some sites answer HEAD wrongly). Redirects are followed and the
final address kept. A per-host limit keeps us from hammering one site; every request has a timeout.
No database here: services.check_links records what this finds."""

import asyncio
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from peerhub.freshness.http import user_agent
from peerhub.freshness.models import Outcome

UNCERTAIN_STATUSES = {401, 403, 429}  # the site refused the checker: neither confirmed nor broken
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class LinkResult:
    url: str
    outcome: str
    status_code: int | None = None
    final_url: str = ""
    method: str = ""
    error: str = ""
    elapsed_ms: int | None = None


def outcome_for(status: int) -> str:
    if status < 400:
        return Outcome.OK
    return Outcome.UNCERTAIN if status in UNCERTAIN_STATUSES else Outcome.BROKEN


def describe_error(error: Exception, timeout: float) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"No answer within {timeout:g} seconds"
    if isinstance(error, httpx.TooManyRedirects):
        return f"More than {MAX_REDIRECTS} redirects"
    if isinstance(error, httpx.RemoteProtocolError):
        return "The site closed the connection without answering"
    if isinstance(error, httpx.ConnectError):
        return "Could not connect to the site"
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "Not a web address that can be checked"
    return f"The request failed ({type(error).__name__})"


async def attempt(client: httpx.AsyncClient, method: str, url: str, timeout: float) -> LinkResult:
    started = time.monotonic()
    try:
        # Streaming means a GET reads only the headers, never a large page or PDF.
        async with client.stream(method, url) as response:
            elapsed = int((time.monotonic() - started) * 1000)
            return LinkResult(url, outcome_for(response.status_code), response.status_code, str(response.url),
                              method, elapsed_ms=elapsed)
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        return LinkResult(url, Outcome.BROKEN, method=method, error=describe_error(error, timeout))


async def check_url(client: httpx.AsyncClient, url: str, timeout: float) -> LinkResult:
    head = await attempt(client, "HEAD", url, timeout)
    if head.outcome == Outcome.OK:
        return head
    return await attempt(client, "GET", url, timeout)


def host_of(url: str) -> str:
    try:
        return httpx.URL(url).host
    except httpx.InvalidURL:
        return ""


async def check_urls(urls, *, timeout: float, per_host: int, concurrency: int,
                     transport: httpx.AsyncBaseTransport | None = None) -> dict[str, LinkResult]:
    """Each distinct address checked once; at most `per_host` at a time on any one host."""
    host_limits = defaultdict(lambda: asyncio.Semaphore(per_host))
    overall = asyncio.Semaphore(concurrency)

    async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS,
                                 headers={"User-Agent": user_agent()}, transport=transport) as client:
        async def one(url: str) -> tuple[str, LinkResult]:
            async with host_limits[host_of(url)], overall:
                return url, await check_url(client, url, timeout)

        return dict(await asyncio.gather(*(one(url) for url in dict.fromkeys(urls))))


def check_all(urls, **options) -> dict[str, LinkResult]:
    """The synchronous entry point for services, commands and tasks."""
    urls = list(urls)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(check_urls(urls, **options))
    # Called from inside a running event loop (an ASGI server, Playwright's sync API): asyncio.run
    # refuses to nest, so the check gets an event loop of its own on a worker thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(check_urls(urls, **options))).result()
