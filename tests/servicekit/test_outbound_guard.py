"""servicekit.outbound_guard: connections opened by a library (requests) inside a guarded block are checked."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from servicekit import outbound, outbound_guard


@pytest.fixture
def local_server():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()
    server.server_close()


def test_outside_a_guarded_block_connections_are_untouched(local_server):
    assert requests.get(f"http://127.0.0.1:{local_server}/", timeout=2).status_code == 204


def test_inside_a_guarded_block_an_internal_address_is_refused_before_connecting(local_server):
    with outbound_guard.guarded(outbound.Policy()) as guard, pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{local_server}/", timeout=2)

    assert guard.refused == ["127.0.0.1 is a loopback address; set WEBHOOK_ALLOWED_HOSTS to allow it"]
    assert guard.statuses == []


def test_an_allowed_address_connects_and_its_answer_is_noted(local_server):
    with outbound_guard.guarded(outbound.Policy.from_setting("127.0.0.1")) as guard:
        assert requests.get(f"http://127.0.0.1:{local_server}/", timeout=2).status_code == 204

    assert (guard.refused, guard.statuses) == ([], [204])


def test_a_name_goes_to_the_address_it_was_checked_at(local_server):
    def targets(host, port):
        return [("127.0.0.1", local_server)] if host == "service.example.test" else []

    with outbound_guard.guarded(outbound.Policy.from_setting("127.0.0.1"), targets) as guard:
        answer = requests.get("http://service.example.test/", timeout=2)

    assert answer.status_code == 204 and guard.statuses == [204]


def test_the_guard_belongs_to_its_thread(local_server):
    results = []

    def other_thread():
        results.append(requests.get(f"http://127.0.0.1:{local_server}/", timeout=2).status_code)

    with outbound_guard.guarded(outbound.Policy()):
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()

    assert results == [204]
