"""Alerts resolved by their source: mark them resolved, then tell incident management.

The resolution is stored with an entry in alert ingestion's own
`alert_resolution_outbox` in one transaction; the call to incident management
makes it visible at once. When that call fails, the relay job repeats it with
back-off until incident management has it, so nothing is lost while it is down
(recording is idempotent there, so a repeated report is harmless).
"""

import logging

import requests
from flask import current_app

from alert_ingestion import metrics, resolution_repository
from alert_ingestion.keys import routing
from servicekit import db
from servicekit.http import ServiceClient

log = logging.getLogger(__name__)

_EXTENSION = "alert_ingestion.resolutions"
RESOLUTION_PATH = "/api/v1/incidents/alerts/resolved"


class ReportFailed(Exception):
    """Incident management did not take the resolution (down, slow, or answered an error)."""


def init_app(app):
    # No retries: a missed call costs a few seconds (the relay job), a retry would hold the webhook.
    app.extensions[_EXTENSION] = ServiceClient(
        app.config["INCIDENT_MANAGEMENT_URL"],
        timeout=(app.config["INCIDENT_MANAGEMENT_CONNECT_TIMEOUT"], app.config["INCIDENT_MANAGEMENT_TIMEOUT"]),
        retries=0,
    )


_REQUEST_KEY = object()


def resolve(dedup_key, source, resolved_at, integration_key_id=_REQUEST_KEY):
    """Resolve the firing alert that `source` sent with `dedup_key` and the request's integration key (or the
    one given: None for alerts the platform made itself); returns the outcome for the answer."""
    grace = current_app.config["OUTBOX_GRACE_SECONDS"]
    key_id = routing.current_key_id() if integration_key_id is _REQUEST_KEY else integration_key_id
    with db.transaction() as cur:
        resolved = resolution_repository.resolve_firing(cur, dedup_key, source, resolved_at, grace, key_id)
    if resolved is None:
        return {"alert_id": None, "incident_id": None, "result": "not_firing", "incident_status": None}
    metrics.alerts_resolved.labels(source=source).inc()
    answer = _report_now(current_app._get_current_object(), resolved) or {}
    return {
        "alert_id": resolved["id"],
        "incident_id": answer.get("incident_id") or resolved["incident_id"],
        "result": "resolved",
        "incident_status": answer.get("incident_status"),
    }


def report(app, resolution):
    """Tell incident management that an alert was resolved by its source; returns its answer."""
    body = {
        "alert_id": str(resolution["id"]),
        "source": resolution["source"],
        "resolved_at": resolution["resolved_at"].isoformat(),
    }
    try:
        response = app.extensions[_EXTENSION].post(RESOLUTION_PATH, json=body)
    except requests.RequestException as exc:
        raise ReportFailed(f"unreachable: {type(exc).__name__}") from exc
    if response.status_code != 200:
        raise ReportFailed(f"answered {response.status_code}: {response.text[:200]}")
    return response.json()


def _report_now(app, resolution):
    try:
        answer = report(app, resolution)
    except ReportFailed as exc:
        metrics.alert_deliveries_failed.labels(path="resolution").inc()
        log.warning("resolution of alert %s queued; incident management %s", resolution["id"], exc)
        return None
    with db.transaction() as cur:
        resolution_repository.delete_resolution(cur, resolution["id"])
    return answer


def relay_resolutions(app, batch_size=50):
    """Report due resolutions from the outbox; the rows stay locked so that other workers skip them."""
    with db.get_db(app).connection() as conn, db.cursor_in_transaction(conn) as cur:
        due = resolution_repository.claim_due_resolutions(cur, batch_size)
        for position, resolution in enumerate(due):
            try:
                report(app, resolution)
            except ReportFailed as exc:
                metrics.alert_deliveries_failed.labels(path="resolution").inc()
                # Incident management is unhealthy: do not hammer it with the rest of the batch.
                for waiting in due[position:]:
                    resolution_repository.reschedule_resolution(
                        cur, waiting["id"], str(exc), app.config["OUTBOX_MAX_BACKOFF"]
                    )
                log.warning("resolution relay paused after %d of %d: %s", position, len(due), exc)
                return position
            resolution_repository.delete_resolution(cur, resolution["id"])
        return len(due)
