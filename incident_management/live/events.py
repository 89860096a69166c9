"""The text/event-stream wire format (WHATWG HTML, server-sent events), as pure functions."""

import json

# How long a browser waits before reconnecting after the stream ends (EventSource's `retry`).
RETRY_MS = 2000


def event(name, data, event_id=None):
    """One event: `event:` name, optional `id:`, the data as one line of JSON, a blank line."""
    lines = [f"event: {name}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append("data: " + json.dumps(data, separators=(",", ":"), default=str))
    return "\n".join(lines) + "\n\n"


def heartbeat(at):
    """Sent while nothing changes: proxies keep the stream open, and the page knows it is not stale."""
    return event("heartbeat", {"at": at})


def opening(stream_seconds):
    """First bytes of a stream: the reconnect delay and a `ready` event the page takes as connected."""
    return f"retry: {RETRY_MS}\n\n" + event("ready", {"stream_seconds": stream_seconds})
