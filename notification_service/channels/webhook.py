"""Generic webhook: the notification as JSON, POSTed to the recipient URL (also the transport of chat webhooks).

Every request goes through servicekit.outbound: the URL and each redirect are checked against
WEBHOOK_ALLOWED_HOSTS, and the receiver's answer body never reaches the delivery log (last_error keeps the
status and its reason phrase), so the channel cannot be used to read internal services.
"""

import hashlib
import hmac
import json

from notification_service.channels import actions
from notification_service.channels.common import DeliveryError, incident_link, title_of
from servicekit import outbound

_EXTENSION = "notification_service.outbound"
USER_AGENT = "incident-platform-notifier/1"
# Client errors that may pass: timeout, conflict/too early, rate limited. Other 4xx will not change on retry.
_RETRYABLE_4XX = {408, 409, 425, 429}


def init_app(app):
    # No transport-level retries: the delivery log counts and spaces every attempt itself.
    policy = outbound.Policy.from_setting(app.config.get(outbound.SETTING, ""))
    app.extensions[_EXTENSION] = outbound.Client(policy)


def client(app):
    return app.extensions[_EXTENSION]


def payload(config, notification):
    return {
        "notification_id": str(notification["id"]),
        "incident_id": str(notification["incident_id"]) if notification.get("incident_id") else None,
        "subject": notification.get("subject") or title_of(notification),
        "message": notification["message"],
        "incident_url": incident_link(config, notification["incident_id"]),
        "created_at": notification["created_at"].isoformat(),
        "attempt": notification["attempts"] + 1,
        "actions": [{key: action[key] for key in ("action", "label", "url")} for action in actions.of(notification)],
    }


def send(app, notification, timeout):
    post_json(app, notification, payload(app.config, notification), timeout, sign=True)


def post_json(app, notification, body, timeout, sign=False):
    """POST `body`; a 2xx answer is success, anything else raises DeliveryError."""
    data = json.dumps(body).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        # Stays the same across retries so that the receiver can drop a repeat.
        "Idempotency-Key": str(notification["id"]),
    }
    secret = app.config.get("NOTIFICATION_WEBHOOK_SECRET")
    if sign and secret:
        digest = hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()
        headers["X-Signature-256"] = f"sha256={digest}"
    try:
        answer = client(app).post(notification["recipient"], data, headers, timeout)
    except outbound.Refused as exc:  # the allow-list will not change on retry
        raise DeliveryError(f"destination refused: {exc}", permanent=True) from exc
    except outbound.TimedOut as exc:
        raise DeliveryError(f"receiver did not answer in time (Timeout): {exc}") from exc
    except outbound.Unreachable as exc:
        raise DeliveryError(f"receiver unreachable: {exc}") from exc
    if 200 <= answer.status < 300:
        return
    described = f"receiver answered {answer.status} {answer.reason}".strip()
    if 300 <= answer.status < 400:
        raise DeliveryError(f"{described} without a Location to follow", permanent=True)
    permanent = 400 <= answer.status < 500 and answer.status not in _RETRYABLE_4XX
    raise DeliveryError(described, permanent=permanent)
