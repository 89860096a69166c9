"""An `acknowledge` event acknowledges the incident of the firing alert it names, in incident management.

Sent at once; incident management refusing (the incident is acknowledged or resolved already) is
the outcome wanted anyway. When the alert has no incident yet (incident management was down when
it fired) or incident management does not answer, the acknowledgement is logged and counted
(`alert_deliveries_failed_total{path="acknowledge"}`): PagerDuty's API is asynchronous too, and the
engineer paged can still acknowledge on the incident page.
"""

import logging

import requests
from flask import current_app

from alert_ingestion import metrics, repository
from servicekit import db
from servicekit.http import ServiceClient

log = logging.getLogger(__name__)

_CLIENT = "alert_ingestion.acknowledgements"


def init_app(app):
    app.extensions[_CLIENT] = ServiceClient(
        app.config["INCIDENT_MANAGEMENT_URL"],
        timeout=(app.config["INCIDENT_MANAGEMENT_CONNECT_TIMEOUT"], app.config["INCIDENT_MANAGEMENT_TIMEOUT"]),
        retries=1,
    )


def acknowledge(dedup_key, key):
    """Acknowledge the incident of the key's firing alert with `dedup_key`; returns its id, or None."""
    with db.transaction() as cur:
        alert = repository.find_firing_by_dedup_key(cur, dedup_key, key["id"])
    if alert is None:
        return None  # nothing open under that key: PagerDuty ignores it too
    if alert["incident_id"] is None:
        return _failed(alert, "the alert has no incident yet")
    body = {"status": "acknowledged", "actor": key["name"]}
    try:
        response = current_app.extensions[_CLIENT].patch(f"/api/v1/incidents/{alert['incident_id']}", json=body)
    except requests.RequestException as exc:
        return _failed(alert, f"incident management unreachable: {type(exc).__name__}")
    if response.status_code not in (200, 409):
        return _failed(alert, f"incident management answered {response.status_code}: {response.text[:200]}")
    return alert["incident_id"]


def _failed(alert, reason):
    metrics.alert_deliveries_failed.labels(path="acknowledge").inc()
    log.warning("acknowledgement of alert %s not applied: %s", alert["id"], reason)
