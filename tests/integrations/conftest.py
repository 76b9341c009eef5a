"""A real HTTP receiver on loopback (port 0) that records what it is sent and answers as told."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from casework.integrations import delivery
from casework.integrations.models import WebhookEndpoint


class Receiver:
    def __init__(self):
        self.requests = []  # (headers as a dict with lower-case names, body bytes)
        self.answers = []  # statuses to answer in turn; then 200
        self.hold = None  # a threading.Event the handler waits on before answering
        self.arrived = threading.Event()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/casework?x=1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body, self.path))
                    status = receiver.answers.pop(0) if receiver.answers else 200
                receiver.arrived.set()
                if receiver.hold is not None:
                    receiver.hold.wait(30)
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        return Handler

    def bodies(self):
        return [json.loads(body) for _headers, body, _path in self.requests]

    def ids(self):
        return [headers["webhook-id"] for headers, _body, _path in self.requests]


@pytest.fixture
def receiver():
    server = Receiver()
    server.thread.start()
    yield server
    if server.hold is not None:
        server.hold.set()
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.CASEWORK_WEBHOOKS_ALLOW_PRIVATE = True
    settings.CASEWORK_WEBHOOK_TIMEOUT_SECONDS = 5


@pytest.fixture
def make_endpoint(db, receiver, admin_user):
    def make(*, events=None, personal=False, url=None, name="CRM"):
        return WebhookEndpoint.objects.create(
            name=name, url=url or receiver.url, secret=delivery.new_signing_secret(),
            event_types=events or ["case.opened", "case.assigned", "case.status_changed", "contact.logged",
                                   "notification.sent", "notification.failed", "privacy.action"],
            allows_personal_data=personal, owner=admin_user,
        )

    return make
