"""Live updates over real HTTP: PostgreSQL's change notices reach an open event stream within a second."""

import json
import queue
import threading
import time

import pytest
import requests

import incident_management
from incident_management.live import events


@pytest.fixture
def make_server(make_app, live_server):
    def make(**config):
        # Quick heartbeats: a stream whose reader left notices it at the next write and lets its thread go.
        config = {"LIVE_HEARTBEAT_SECONDS": 0.2, **config}
        return live_server(make_app(incident_management.create_app, **config))

    return make


class Stream:
    """An open event stream read in a thread: its events land in a queue as (name, data)."""

    def __init__(self, url):
        self.response = requests.get(f"{url}/api/v1/incidents/events", stream=True, timeout=10)
        self.events = queue.Queue()
        self.raw = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        name, data = None, None
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                self.raw.append(line)
                if line.startswith("event: "):
                    name = line[len("event: ") :]
                elif line.startswith("data: "):
                    data = json.loads(line[len("data: ") :])
                elif line == "" and name:
                    self.events.put((name, data))
                    name, data = None, None
        except Exception as error:  # the test closed the response under the reading thread
            self.raw.append(f"(closed: {type(error).__name__})")
        self.events.put(("closed", None))

    def next(self, name, timeout=1.0, where=lambda data: True):
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                got, data = self.events.get(timeout=left)
            except queue.Empty:
                break
            if got == name and where(data):
                return data
        raise AssertionError(f"no {name} event within {timeout}s; read {self.raw[-10:]}")

    def close(self):
        self.response.close()


@pytest.fixture
def open_stream():
    streams = []

    def open_(url):
        stream = Stream(url)
        streams.append(stream)
        return stream

    yield open_
    for stream in streams:
        stream.close()


def test_a_new_changed_or_noted_incident_is_streamed_within_a_second(make_server, open_stream):
    url = make_server()
    stream = open_stream(url)
    assert stream.response.headers["Content-Type"].startswith("text/event-stream")
    assert stream.response.headers["X-Accel-Buffering"] == "no"
    stream.next("ready")

    body = {"title": "Checkout down", "service": "checkout", "severity": "critical"}
    incident = requests.post(f"{url}/api/v1/incidents", json=body, timeout=5).json()
    created = stream.next("incident", where=lambda d: d["id"] == incident["id"])
    assert created == {
        "id": incident["id"],
        "change": "created",
        "title": "Checkout down",
        "service": "checkout",
        "severity": "critical",
        "status": "open",
        "updated_at": created["updated_at"],
    }
    requests.patch(f"{url}/api/v1/incidents/{incident['id']}", json={"status": "acknowledged"}, timeout=5)
    changed = stream.next("incident", where=lambda d: d["status"] == "acknowledged")
    assert changed["change"] == "updated"
    note = {"author": "ann", "content": "looking"}
    requests.post(f"{url}/api/v1/incidents/{incident['id']}/notes", json=note, timeout=5)
    assert stream.next("incident", where=lambda d: d["change"] == "note")["id"] == incident["id"]


def test_every_open_stream_gets_each_change(make_server, open_stream):
    url = make_server()
    first, second = open_stream(url), open_stream(url)
    first.next("ready")
    second.next("ready")
    body = {"title": "Disk full", "service": "db", "severity": "low"}
    made = requests.post(f"{url}/api/v1/incidents", json=body, timeout=5).json()
    for stream in (first, second):
        assert stream.next("incident")["id"] == made["id"]


def test_heartbeats_keep_it_alive_and_it_ends_for_the_browser_to_reconnect(make_server, open_stream):
    url = make_server(LIVE_HEARTBEAT_SECONDS=0.2, LIVE_STREAM_SECONDS=1.0)
    stream = open_stream(url)
    assert stream.next("ready") == {"stream_seconds": 1.0}
    stream.next("closed", timeout=3)
    assert "event: heartbeat" in stream.raw
    assert stream.raw[0] == f"retry: {events.RETRY_MS}"


def test_streams_beyond_the_limit_are_503_with_retry_after(make_server, open_stream):
    url = make_server(LIVE_MAX_STREAMS=1)
    open_stream(url).next("ready")
    refused = requests.get(f"{url}/api/v1/incidents/events", timeout=5)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "10"
    assert refused.json()["message"].startswith("at most 1 live streams")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (events.event("incident", {"id": "a"}, 3), 'event: incident\nid: 3\ndata: {"id":"a"}\n\n'),
        (events.event("ready", {}), "event: ready\ndata: {}\n\n"),
        (events.event("x", {"text": "two\nlines"}), 'event: x\ndata: {"text":"two\\nlines"}\n\n'),
        (events.heartbeat("2026-12-02T16:00:00Z"), 'event: heartbeat\ndata: {"at":"2026-12-02T16:00:00Z"}\n\n'),
    ],
)
def test_the_wire_format(text, expected):
    assert text == expected
