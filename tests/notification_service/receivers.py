"""Local stand-ins for the outside world: an HTTP receiver (webhooks, chat) and an SMTP server (aiosmtpd)."""

import collections
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.ports import free_port


class HttpReceiver:
    """Records every POST; answers from `statuses(request_number_for_that_key)` after `delay` seconds.

    Requests are grouped by their Idempotency-Key header (one key per notification).
    """

    def __init__(self, statuses=lambda _n: 200, delay=0.0):
        self.statuses = statuses
        self.delay = delay
        self.requests = []
        self.by_key = collections.Counter()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                key = self.headers.get("Idempotency-Key")
                with receiver._lock:
                    receiver.by_key[key] += 1
                    number = receiver.by_key[key]
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body, "json": json.loads(body)}
                    )
                time.sleep(receiver.delay)
                status = receiver.statuses(number)
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else f"refused with {status}".encode())

            def log_message(self, *_args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class MailCollector:
    """aiosmtpd handler: keeps every accepted message; refuses recipients listed in `refuse`."""

    def __init__(self, refuse=()):
        self.messages = []
        self.refuse = set(refuse)

    async def handle_RCPT(self, _server, _session, envelope, address, _rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, session, envelope):
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "data": envelope.content.decode(),
                "user": session.auth_data if session.authenticated else None,
                "tls": session.ssl is not None,
            }
        )
        return "250 Message accepted for delivery"


def accept_login(username, password):
    """An aiosmtpd authenticator that takes exactly one user name and password."""

    def authenticate(_server, _session, _envelope, _mechanism, auth_data):
        ok = auth_data.login == username.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False, auth_data=username if ok else None)

    return authenticate


def start_smtp(handler, **smtp_options):
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **smtp_options)
    controller.start()
    return controller
