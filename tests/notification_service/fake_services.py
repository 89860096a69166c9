"""Local stand-ins for services that Apprise speaks to: they record each request exactly as it arrived.

`FakeService` answers every request with `answer(request)` -> (status, JSON body); with a certificate it
speaks HTTPS (Teams Workflows and Twilio are https-only in Apprise). Nothing leaves the machine.
"""

import json
import ssl
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def ntfy_answer(request):
    """What ntfy answers a published message (its JSON message object)."""
    body = json.loads(request["body"] or b"{}")
    return 200, {"id": "hwQ2YpKdmg", "time": 1700000000, "event": "message", "topic": body.get("topic")}


def accepted(_request):
    """A Power Automate / Teams Workflows trigger answers 202 with an empty body."""
    return 202, None


def twilio_answer(request):
    """Twilio's Messages.json answers 201 with the queued message."""
    form = request["form"]
    return 201, {"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "to": form.get("To")}


class FakeService:
    def __init__(self, answer, certificate=None, host="127.0.0.1"):
        self.answer = answer
        self.requests = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                url = urllib.parse.urlsplit(self.path)
                request = {
                    "method": "POST",
                    "path": url.path,
                    "query": dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True)),
                    "headers": dict(self.headers),
                    "body": body,
                    "form": dict(urllib.parse.parse_qsl(body.decode(errors="replace"), keep_blank_values=True)),
                }
                with fake._lock:
                    fake.requests.append(request)
                status, answer = fake.answer(request)
                data = b"" if answer is None else json.dumps(answer).encode()
                self.send_response(status)
                if isinstance(answer, dict) and "Location" in answer:
                    self.send_header("Location", answer["Location"])
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        scheme = "http"
        if certificate is not None:
            key, cert = certificate
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.port = self.server.server_port
        self.url = f"{scheme}://{host}:{self.port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
