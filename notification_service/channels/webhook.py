"""Generic webhook: the notification as JSON, POSTed to the recipient URL (also the transport of chat webhooks)."""

import hashlib
import hmac
import json

import requests
from requests.adapters import HTTPAdapter

from notification_service.channels.common import DeliveryError, incident_link, title_of

_EXTENSION = "notification_service.http"
USER_AGENT = "incident-platform-notifier/1"
# Client errors that may pass: timeout, conflict/too early, rate limited. Other 4xx will not change on retry.
_RETRYABLE_4XX = {408, 409, 425, 429}


def init_app(app):
    # A plain session, not servicekit's ServiceClient: no base URL, and no transport-level retries
    # (the delivery log counts and spaces every attempt itself).
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=16, pool_maxsize=32)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    app.extensions[_EXTENSION] = session


def payload(config, notification):
    return {
        "notification_id": str(notification["id"]),
        "incident_id": str(notification["incident_id"]),
        "subject": notification.get("subject") or title_of(notification),
        "message": notification["message"],
        "incident_url": incident_link(config, notification["incident_id"]),
        "created_at": notification["created_at"].isoformat(),
        "attempt": notification["attempts"] + 1,
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
        response = app.extensions[_EXTENSION].post(
            notification["recipient"], data=data, headers=headers, timeout=timeout, allow_redirects=False
        )
    except requests.ConnectionError as exc:  # includes ConnectTimeout
        raise DeliveryError(f"receiver unreachable: {type(exc).__name__}: {_first_line(exc)}") from exc
    except requests.Timeout as exc:
        raise DeliveryError(f"receiver did not answer within {timeout}s: {type(exc).__name__}") from exc
    except requests.RequestException as exc:
        raise DeliveryError(f"request to the receiver failed: {type(exc).__name__}: {_first_line(exc)}") from exc
    if 200 <= response.status_code < 300:
        return
    if 300 <= response.status_code < 400:
        raise DeliveryError(f"receiver answered {response.status_code} (redirects are not followed)", permanent=True)
    permanent = 400 <= response.status_code < 500 and response.status_code not in _RETRYABLE_4XX
    excerpt = " ".join(response.text.split())[:200]  # an HTML error page becomes one readable line
    raise DeliveryError(f"receiver answered {response.status_code}: {excerpt}", permanent=permanent)


def _first_line(exc):
    """The root cause's words ("[Errno 111] Connection refused"), not urllib3's nested wrappers."""
    cause = exc
    while cause.__context__ is not None and cause.__context__ is not cause:
        cause = cause.__context__
    text = str(cause).strip() or str(exc).strip()
    return text.splitlines()[0][:300] if text else ""
