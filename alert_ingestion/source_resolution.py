"""Alerts resolved by their source: mark them resolved, then tell incident management.

The resolution is stored with an entry in `alert_resolutions` in one
transaction; the call to incident management only makes it visible at once.
When that call fails, incident management's reconciliation job reads the
entry later, so nothing is lost while it is down.
"""

import logging

import requests
from flask import current_app

from alert_ingestion import metrics, resolution_repository
from servicekit import db
from servicekit.http import ServiceClient

log = logging.getLogger(__name__)

_EXTENSION = "alert_ingestion.resolutions"
RESOLUTION_PATH = "/api/v1/incidents/alerts/resolved"


def init_app(app):
    # No retries: a missed call costs a few seconds (the reconciliation job), a retry would hold the webhook.
    app.extensions[_EXTENSION] = ServiceClient(
        app.config["INCIDENT_MANAGEMENT_URL"],
        timeout=(app.config["INCIDENT_MANAGEMENT_CONNECT_TIMEOUT"], app.config["INCIDENT_MANAGEMENT_TIMEOUT"]),
        retries=0,
    )


def resolve(dedup_key, source, resolved_at):
    """Resolve the firing alert that `source` sent with `dedup_key`; returns the outcome for the answer."""
    with db.transaction() as cur:
        resolved = resolution_repository.resolve_firing(cur, dedup_key, source, resolved_at)
    if resolved is None:
        return {"alert_id": None, "incident_id": None, "result": "not_firing", "incident_status": None}
    metrics.alerts_resolved.labels(source=source).inc()
    answer = _tell_incident_management(resolved["id"]) or {}
    return {
        "alert_id": resolved["id"],
        "incident_id": answer.get("incident_id") or resolved["incident_id"],
        "result": "resolved",
        "incident_status": answer.get("incident_status"),
    }


def _tell_incident_management(alert_id):
    client = current_app.extensions[_EXTENSION]
    try:
        response = client.post(RESOLUTION_PATH, json={"alert_id": str(alert_id)})
    except requests.RequestException as exc:
        problem = f"unreachable: {type(exc).__name__}"
    else:
        if response.status_code == 200:
            return response.json()
        problem = f"answered {response.status_code}: {response.text[:200]}"
    metrics.alert_deliveries_failed.labels(path="resolution").inc()
    log.warning("resolution of alert %s queued; incident management %s", alert_id, problem)
    return None
