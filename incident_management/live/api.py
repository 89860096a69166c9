"""GET /api/v1/incidents/events: a server-sent event stream of incident changes.

Events: `ready` (connected), `incident` ({id, change: created|updated|note, title, service, severity, status,
updated_at}), `resync` (changes may have been missed: reload) and `heartbeat` every LIVE_HEARTBEAT_SECONDS
while nothing changes, which keeps it alive and tells the page it is not stale. The stream ends after
LIVE_STREAM_SECONDS and the browser reconnects, so a worker's threads come back; beyond LIVE_MAX_STREAMS per
process the answer is 503 with Retry-After and the page keeps polling.
"""

import datetime as dt
import queue
import time

from flask import Response, current_app, stream_with_context
from flask.views import MethodView

from incident_management.live import events
from incident_management.live.broker import Broker
from servicekit import auth
from servicekit.blueprint import Blueprint
from servicekit.errors import error_body

blp = Blueprint("incident_events", __name__, url_prefix="/api/v1/incidents/events", description="Live updates")

SETTINGS = {
    "LIVE_MAX_STREAMS": 4,  # per process; each open stream holds one of gunicorn's threads
    "LIVE_STREAM_SECONDS": 300.0,
    "LIVE_HEARTBEAT_SECONDS": 15.0,
}
_EXTENSION = "incident_management.live"
READY_WAIT_SECONDS = 3.0
STREAM_DOC = {
    "200": {
        "description": "text/event-stream: `ready`, then `incident` ({id, change, title, service, severity, status,"
        " updated_at}) per change, `resync` after a gap, `heartbeat` ({at}) while nothing changes",
        "content": {
            "text/event-stream": {
                "schema": {"type": "string"},
                "example": "event: ready\ndata: {}\n\nevent: incident\ndata: "
                '{"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "change": "created",'
                ' "title": "payments: error rate above 5%", "service": "payments",'
                ' "severity": "critical", "status": "open", "updated_at": "2026-12-01T09:30:00Z"}\n\n',
            }
        },
    },
    "503": {"description": "Too many open streams in this process: retry after Retry-After seconds, poll meanwhile"},
}


def init_app(app):
    app.extensions[_EXTENSION] = Broker(app.config["DATABASE_URL"])


@blp.route("")
class IncidentEvents(MethodView):
    @auth.role("viewer")
    @blp.doc(responses=STREAM_DOC)
    def get(self):
        """Stream incident changes as server-sent events (new, changed, noted), within a second"""
        broker = current_app.extensions[_EXTENSION]
        config = current_app.config
        if broker.streams >= config["LIVE_MAX_STREAMS"]:
            body = error_body(503, f"at most {config['LIVE_MAX_STREAMS']} live streams per process; polling works")
            return body, 503, {"Retry-After": "10"}
        inbox = broker.subscribe()
        generator = _stream(broker, inbox, config["LIVE_STREAM_SECONDS"], config["LIVE_HEARTBEAT_SECONDS"])
        headers = {"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"}
        return Response(stream_with_context(generator), mimetype="text/event-stream", headers=headers)


def _stream(broker, inbox, stream_seconds, heartbeat_seconds):
    try:
        # `ready` promises that changes from now on arrive: say it once the listener hears them. Should it
        # not connect in time, the stream opens anyway and gets `resync` when it does.
        broker.listening.wait(READY_WAIT_SECONDS)
        yield events.opening(stream_seconds)
        deadline = time.monotonic() + stream_seconds
        sequence = 0
        while (left := deadline - time.monotonic()) > 0:
            try:
                change = inbox.get(timeout=min(heartbeat_seconds, left))
            except queue.Empty:
                yield events.heartbeat(dt.datetime.now(dt.UTC).isoformat())
                continue
            sequence += 1
            name = "resync" if change.get("change") == "resync" else "incident"
            yield events.event(name, change, sequence)
    finally:
        broker.unsubscribe(inbox)
