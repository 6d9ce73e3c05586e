"""A small HTTP server on 127.0.0.1 with one path per kind of link: working, redirected, missing,
failing, slow, dropping the connection, refusing HEAD, and one that counts requests in flight."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 3


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output quiet
        pass

    def do_HEAD(self):
        self.route()

    def do_GET(self):
        self.route()

    def route(self):
        path = self.path.split("?")[0]
        if path.startswith("/busy/"):
            return self.busy()
        action = ROUTES.get(path)
        if action is None:
            return self.answer(404)
        return action(self)

    def answer(self, status, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def slow(self):
        time.sleep(SLOW_SECONDS)
        self.answer(200)

    def drop(self):
        self.close_connection = True  # hang up without a word

    def no_head(self):
        self.answer(405 if self.command == "HEAD" else 200)

    def busy(self):
        server = self.server
        with server.lock:
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        time.sleep(0.2)
        with server.lock:
            server.in_flight -= 1
        self.answer(200)


ROUTES = {
    "/ok": lambda h: h.answer(200),
    "/moved": lambda h: h.answer(301, [("Location", "/ok")]),
    "/missing": lambda h: h.answer(404),
    "/error": lambda h: h.answer(500),
    "/forbidden": lambda h: h.answer(403),
    "/slow": Handler.slow,
    "/drop": Handler.drop,
    "/no-head": Handler.no_head,
}


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock, self.in_flight, self.most_in_flight = threading.Lock(), 0, 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
