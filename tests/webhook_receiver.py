"""A real HTTP server on this machine that receives webhooks, for the tests."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Receiver:
    url: str
    received: list = field(default_factory=list)  # (headers, body) of every request, answered or not
    status: int = 204
    # Set: the next requests wait on it before answering (a slow system); cleared by the test.
    hold: threading.Event | None = None

    def bodies_of(self, event_type: str) -> list[bytes]:
        return [body for _headers, body in self.received if f'"type":"{event_type}"'.encode() in body]


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.received.append(({key.lower(): value for key, value in self.headers.items()}, body))
            if receiver.hold is not None:
                receiver.hold.wait(timeout=60)
            self.send_response(receiver.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_port}/hooks"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server
