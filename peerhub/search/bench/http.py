"""`peerhub bench http --docs N`: the whole stack under load. gunicorn (the production server, 2
workers) serves the search benchmark's database on 127.0.0.1; a small loopback load generator
(a few threads, one request at a time each) asks for, in turn:

    search page   /library/?q=…   over the search benchmark's fixed query mix (HTML, facets, page)
    search API    /api/resources?q=…   the same mix as JSON
    about page    /about/   a template with no queries: the ceiling of this server on this machine

and reports requests/s and p50/p95 latency for each. The load generator runs on the same machine
and shares its cores with the server, so the figures are a floor, not a capacity plan."""

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.db import connection

from peerhub.library.facets import SearchParams
from peerhub.search.bench.benchdb import BENCH_DIR, drop_bench_database
from peerhub.search.bench.queries import query_mix
from peerhub.search.bench.search import prepare

HOST = "127.0.0.1"
STARTUP_SECONDS = 90
WARM_UP_SECONDS = 3  # each worker loads its facet bitmaps on its first search: not what is measured
REQUEST_TIMEOUT = 30


def add_arguments(parser):
    parser.add_argument("--docs", type=int, default=100_000, help="resources in the catalogue (default 100,000)")
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per target (default 15)")
    parser.add_argument("--connections", type=int, default=3, choices=[2, 3, 4],
                        help="concurrent connections of the load generator (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--rebuild", action="store_true", help="build the benchmark database afresh")
    parser.add_argument("--keep", action="store_true",
                        help="on PostgreSQL, keep the benchmark database for the next run (dropped by default)")


@dataclass
class Outcome:
    times_ms: list[float] = field(default_factory=list)
    failures: int = 0
    elapsed: float = 0.0


def query_string(params: SearchParams) -> str:
    """The URL parameters the search page and the API read back into these SearchParams."""
    pairs = [("q", params.q), *params.choices.items()]
    pairs += [(vocab, slug) for vocab, slugs in params.terms.items() for slug in slugs]
    pairs += [(name, value) for name, value in (("year_from", params.year_from), ("year_to", params.year_to)) if value]
    return urlencode(pairs, quote_via=quote)


def database_url(settings_dict: dict) -> str:
    """DATABASE_URL for the server processes, pointing at the benchmark database."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    password = f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict["PASSWORD"] else ""
    return (f"postgres://{quote(settings_dict['USER'], safe='')}{password}@{settings_dict['HOST'] or 'localhost'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str) -> int:
    """One GET on a fresh connection (gunicorn's sync workers close each one); the status."""
    client = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        client.request("GET", path)
        response = client.getresponse()
        response.read()
        return response.status
    finally:
        client.close()


def _wait_until_serving(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {server.returncode}; see {BENCH_DIR / 'gunicorn.log'}")
        try:
            if fetch(port, "/about/") == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s")


def _server_environment(url: str) -> dict:
    # Production settings (DEBUG off), a throwaway secret, and only the loopback host allowed.
    return {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST, "DJANGO_SETTINGS_MODULE": "peerhub.settings"}


@contextmanager
def gunicorn(url: str, workers: int):
    """A gunicorn serving the hub on a free loopback port, stopped afterwards; yields the port."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"{HOST}:{port}",
               "--log-level", "warning", "peerhub.wsgi:application"]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    with (BENCH_DIR / "gunicorn.log").open("w") as log:
        server = subprocess.Popen(command, env=_server_environment(url), stdout=log, stderr=log)
        try:
            _wait_until_serving(port, server)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _client(port: int, paths: list[str], start: int, deadline: float, outcome: Outcome, lock) -> None:
    times, failures, index = [], 0, start
    while time.perf_counter() < deadline:
        path = paths[index % len(paths)]
        index += 1
        began = time.perf_counter()
        try:
            ok = fetch(port, path) == 200
        except OSError:
            ok = False
        times.append((time.perf_counter() - began) * 1000)
        failures += not ok
    with lock:
        outcome.times_ms += times
        outcome.failures += failures


def load(port: int, paths: list[str], seconds: float, connections: int) -> Outcome:
    """`connections` threads, each with one request in flight, for `seconds`; each thread starts
    at a different place in the paths so the mix is spread over the run."""
    outcome, lock = Outcome(), threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    threads = [threading.Thread(target=_client, args=(port, paths, i * len(paths) // connections, deadline,
                                                      outcome, lock)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.elapsed = time.perf_counter() - started
    return outcome


def _line(name: str, outcome: Outcome) -> str:
    if len(outcome.times_ms) < 2:
        return f"  {name:<14} too few requests completed ({len(outcome.times_ms)})"
    cuts = statistics.quantiles(outcome.times_ms, n=100, method="inclusive")
    return (f"  {name:<14} {len(outcome.times_ms) / outcome.elapsed:7.1f} requests/s   "
            f"p50 {statistics.median(outcome.times_ms):7.1f} ms   p95 {cuts[94]:7.1f} ms   "
            f"{len(outcome.times_ms):6,} requests, {outcome.failures} not 200")


def targets(mix) -> dict[str, list[str]]:
    queries = [query_string(params) for _kind, params in mix]
    return {
        "search page": [f"/library/?{q}" for q in queries],
        "search API": [f"/api/resources?{q}" for q in queries],
        "about page": ["/about/"],
    }


def run(options, write):
    docs = options["docs"]
    pool = prepare(docs, options["rebuild"], write)
    mix = query_mix(pool)
    url = database_url(connection.settings_dict)
    connection.close()  # the server processes open their own
    write(f"gunicorn, {options['workers']} workers, {HOST}; {options['connections']} connections, "
          f"{options['seconds']:.0f} s per target; query mix {len(mix)} queries")
    with gunicorn(url, options["workers"]) as port:
        for name, paths in targets(mix).items():
            load(port, paths, WARM_UP_SECONDS, options["connections"])
            write(_line(name, load(port, paths, options["seconds"], options["connections"])))
    if connection.vendor == "postgresql" and not options["keep"]:
        drop_bench_database(f"search_{docs}")  # the server is shared: no large scratch database left behind
        write("Dropped the benchmark database (--keep to reuse it)")
