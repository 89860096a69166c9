"""The notification service as the identity package uses it: check an address, send a test or a code.

An Apprise contact method is checked by the notification service's own rules (Apprise's parser, the SSRF
rules) when it is saved, since that service is the one that will deliver to it.
"""

import requests

from servicekit.errors import ApiError, Invalid
from servicekit.http import ServiceClient

_EXTENSION = "oncall_service.notifications"


class Unavailable(ApiError):
    """The notification service is down or failing: try again shortly."""

    code = 503


def init_app(app):
    app.extensions[_EXTENSION] = ServiceClient(
        app.config["NOTIFICATION_SERVICE_URL"],
        timeout=(app.config["NOTIFICATION_SERVICE_CONNECT_TIMEOUT"], app.config["NOTIFICATION_SERVICE_TIMEOUT"]),
        retries=1,
    )


def _post(app, path, body):
    try:
        response = app.extensions[_EXTENSION].post(path, json=body)
    except requests.RequestException as exc:
        raise Unavailable(f"the notification service is unreachable ({type(exc).__name__}): try again") from exc
    if response.status_code == 422:
        reasons = (response.json().get("errors") or {}).get("json", {}).get("recipient") or [response.text[:300]]
        raise Invalid(reasons[0], errors={"json": {"address": reasons}})
    if response.status_code not in (200, 201, 202):
        raise Unavailable(f"the notification service answered {response.status_code}: try again")
    return response.json()


def check(app, channel, address):
    """The address as the notification service sees it ({channel, recipient, kind, service}); Invalid if not."""
    return _post(app, "/api/v1/recipients/check", {"channel": channel, "recipient": address})


def send(app, kind, method, person, subject, message):
    """Send a test message or a verification code to a contact method now; the notification ({id, status, ...})."""
    body = {"kind": kind, "channel": method["type"], "recipient": method["address"], "subject": subject}
    body.update(message=message, person=person)
    return _post(app, "/api/v1/contact-messages", body)
