"""Incident management's API as the on-call service uses it: a manual escalation is handed to it.

Incident management owns each incident's place in its policy; the on-call service
never reads its tables and holds no timer.
"""

import requests

from servicekit.errors import ApiError, Conflict, NotFound
from servicekit.http import ServiceClient

_EXTENSION = "oncall_service.incidents"


class Unavailable(ApiError):
    """Incident management is down or answered an error: try again shortly."""

    code = 503


def init_app(app):
    app.extensions[_EXTENSION] = IncidentsClient(
        ServiceClient(
            app.config["INCIDENT_MANAGEMENT_URL"],
            timeout=(app.config["INCIDENT_MANAGEMENT_CONNECT_TIMEOUT"], app.config["INCIDENT_MANAGEMENT_TIMEOUT"]),
            retries=1,
        )
    )


def client(app):
    return app.extensions[_EXTENSION]


class IncidentsClient:
    def __init__(self, session):
        self.session = session

    def escalate(self, incident_id, request):
        """Move the incident to its policy's next step; incident management pages whoever that reaches."""
        try:
            response = self.session.post(f"/api/v1/incidents/{incident_id}/escalate", json=request)
        except requests.RequestException as exc:
            raise Unavailable(f"incident management unreachable: {type(exc).__name__}") from exc
        if response.status_code == 404:
            raise NotFound(f"incident {incident_id} not found")
        if response.status_code == 409:
            raise Conflict(response.json().get("message", "incident management refused the escalation"))
        if response.status_code != 200:
            raise Unavailable(f"incident management answered {response.status_code}: {response.text[:200]}")
        return response.json()
