"""The rules of outgoing webhooks: the body, its signature, when to try again. Pure functions, no I/O."""

import hashlib
import hmac
import json
import secrets

from servicekit.enums import WEBHOOK_EVENT_TYPES

TEST_EVENT = "webhook.test"
EVENT_TYPES = WEBHOOK_EVENT_TYPES
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
SIGNATURE_HEADER = "X-Incident-Signature"
TIMESTAMP_HEADER = "X-Incident-Timestamp"
EVENT_HEADER = "X-Incident-Event"
DELIVERY_HEADER = "X-Incident-Delivery"
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)  # pragma: allowlist secret
_MAX_EXPONENT = 32  # keeps 2**n finite; far past any cap
# Client errors that may pass on a retry (timeout, conflict, too early, rate limited); other 4xx will not.
RETRYABLE_4XX = frozenset({408, 409, 425, 429})


def new_secret():
    """A signing secret: 32 random bytes, URL-safe, with a prefix that says what it is."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret, timestamp, body):
    """`sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the subscription's secret as the key."""
    message = str(int(timestamp)).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret, timestamp, body, header, now, tolerance_seconds=300):
    """What a receiver does: the signature matches and the timestamp is recent (replay protection)."""
    try:
        fresh = abs(now - int(timestamp)) <= tolerance_seconds
    except (TypeError, ValueError):
        return False
    return fresh and hmac.compare_digest(signature(secret, int(timestamp), body), header)


def headers(secret, event_type, delivery_id, body, now):
    """The headers of one attempt; the delivery id stays the same across retries (receiver-side idempotency)."""
    timestamp = int(now)
    return {
        "Content-Type": "application/json",
        EVENT_HEADER: event_type,
        DELIVERY_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def body(event, incident_url=""):
    """The JSON body of an event (bytes), the same on every attempt."""
    data = event["data"]
    incident = dict(data["incident"])
    if not incident.get("team") and event.get("team"):
        incident["team"] = event["team"]
    incident["urls"] = {"web": incident_url.format(incident_id=incident["id"]) if incident_url else None}
    document = {
        "event_type": event["event_type"],
        "event_id": str(event["id"]),
        "occurred_at": _iso(event["occurred_at"]),
        "actor": data.get("actor"),
        "incident": incident,
    }
    for extra in ("note", "escalation"):
        if extra in data:
            document[extra] = data[extra]
    return json.dumps(document, sort_keys=True, default=str).encode()


def _iso(moment):
    return moment.isoformat() if hasattr(moment, "isoformat") else str(moment)


def retry_delay(attempts, base_seconds, max_seconds, jitter):
    """Seconds to wait after failed attempt number `attempts` (1, 2, ...): base * 2**(n-1), capped, then
    scaled by `jitter` in [0.5, 1] ("equal jitter": spread out, never less than half the step)."""
    exponent = min(max(attempts - 1, 0), _MAX_EXPONENT)
    step = min(max_seconds, base_seconds * 2**exponent)
    return step * (0.5 + 0.5 * min(max(jitter, 0.0), 1.0))


def after_failure(attempts, max_attempts, permanent, base_seconds, max_seconds, jitter):
    """State after failed attempt number `attempts`: (FAILED, None) or (PENDING, seconds to the next try)."""
    if permanent or attempts >= max_attempts:
        return FAILED, None
    return PENDING, retry_delay(attempts, base_seconds, max_seconds, jitter)


def is_permanent(status):
    """An HTTP answer that no retry will change: a redirect without a target, or a 4xx but the retryable ones."""
    return 300 <= status < 500 and status not in RETRYABLE_4XX


def test_event_data(subscription):
    """A sample incident for "send test event", clearly marked as one."""
    return {
        "actor": "webhook-test",
        "incident": {
            "id": "00000000-0000-4000-8000-000000000000",
            "title": "Test event: your webhook receiver works",
            "service": subscription.get("service") or "example-service",
            "severity": "low",
            "status": "open",
            "team": subscription["team"],
            "assignee": None,
            "escalation_level": 0,
        },
    }
