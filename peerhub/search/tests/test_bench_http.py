"""`peerhub bench http`: the URLs it asks for read back into the same search, and the load
generator counts requests, latencies and failures (against a tiny loopback server)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.http import QueryDict

from peerhub.library.facets import SearchParams, parse_search_params
from peerhub.search.bench.http import load, query_string, targets


class OkOrMissing(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass  # keep the test output quiet


@pytest.fixture
def loopback_port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), OkOrMissing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_query_string_reads_back_into_the_same_search_parameters():
    params = SearchParams(q='"peer support" -diabetes café', choices={"type": "toolkit", "access": "free"},
                          terms={"condition": ["asthma", "copd"]}, year_from=2015)
    parsed, errors = parse_search_params(QueryDict(query_string(params)))
    assert errors == {}
    assert (parsed.q, parsed.choices, parsed.terms, parsed.year_from) == (
        params.q, params.choices, params.terms, params.year_from)


def test_the_targets_are_the_search_page_the_api_and_a_page_without_queries():
    paths = targets([("rare word", SearchParams(q="walking"))])
    assert paths == {"search page": ["/library/?q=walking"], "search API": ["/api/resources?q=walking"],
                     "about page": ["/about/"]}


def test_the_load_generator_counts_requests_and_failures(loopback_port):
    outcome = load(loopback_port, ["/ok", "/missing"], seconds=0.5, connections=2)
    assert len(outcome.times_ms) >= 4 and outcome.elapsed >= 0.5
    assert 0 < outcome.failures < len(outcome.times_ms)
