"""Incident management's API as the on-call service uses it: read incidents, escalate them.

Cross-service reads and writes go through the API, never through the other service's tables.
"""

import datetime as dt
import uuid

import requests

from servicekit.errors import ApiError, Conflict, NotFound
from servicekit.http import ServiceClient

_EXTENSION = "oncall_service.incidents"
PAGE_SIZE = 200
MAX_PAGES = 25  # 5,000 open incidents per timer tick; the rest are seen on later ticks


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

    def _call(self, method, path, **kwargs):
        try:
            response = self.session.request(method, path, **kwargs)
        except requests.RequestException as exc:
            raise Unavailable(f"incident management unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise Unavailable(f"incident management answered {response.status_code}")
        return response

    def get(self, incident_id):
        response = self._call("GET", f"/api/v1/incidents/{incident_id}")
        if response.status_code == 404:
            raise NotFound(f"incident {incident_id} not found")
        _expect(response, 200)
        return _incident(response.json())

    def open_incidents(self, team, opened_before):
        """The team's unacknowledged incidents opened before `opened_before`, newest first."""
        incidents = []
        for page in range(1, MAX_PAGES + 1):
            params = {
                "status": "open",
                "team": team,
                "until": opened_before.isoformat(),
                "page_size": PAGE_SIZE,
                "page": page,
            }
            response = self._call("GET", "/api/v1/incidents", params=params)
            _expect(response, 200)
            body = response.json()
            incidents.extend(_incident(item) for item in body["items"])
            if page * PAGE_SIZE >= body["total"]:
                break
        return incidents

    def escalate(self, incident_id, escalation):
        """Reassign the incident to the next level; incident management notifies the new assignee."""
        response = self._call("POST", f"/api/v1/incidents/{incident_id}/escalate", json=escalation)
        if response.status_code == 404:
            raise NotFound(f"incident {incident_id} not found")
        if response.status_code == 409:
            raise Conflict(response.json().get("message", "incident management refused the escalation"))
        _expect(response, 200)
        return response.json()


def _expect(response, status):
    if response.status_code != status:
        raise Unavailable(f"incident management answered {response.status_code}: {response.text[:200]}")


def _incident(body):
    """An incident as incident management answers it, with ids and times as Python values."""
    return {
        **body,
        "id": uuid.UUID(body["id"]),
        "created_at": dt.datetime.fromisoformat(body["created_at"]),
        "updated_at": dt.datetime.fromisoformat(body["updated_at"]),
    }
