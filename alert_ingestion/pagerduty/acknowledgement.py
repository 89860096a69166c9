"""An `acknowledge` event acknowledges the incident of the firing alert it names, in incident management.

The acknowledgement is queued in `alert_acknowledgement_outbox` with the event, then sent at once;
incident management answering 409 (the incident is acknowledged or resolved already) is the outcome
wanted too. When the alert has no incident yet (incident management was down when it fired) or
incident management does not answer, the `acknowledgement-relay` job sends it later, with back-off,
once the alert has its incident.
"""

import logging

import requests
from flask import current_app

from alert_ingestion import metrics
from alert_ingestion.pagerduty import repository
from servicekit import db
from servicekit.http import ServiceClient

log = logging.getLogger(__name__)

_CLIENT = "alert_ingestion.acknowledgements"


class AcknowledgeFailed(Exception):
    """Incident management did not take the acknowledgement (down, slow, or answered an error)."""


def init_app(app):
    # No retries here: a missed call costs a few seconds (the relay job), a retry would hold the sender.
    app.extensions[_CLIENT] = ServiceClient(
        app.config["INCIDENT_MANAGEMENT_URL"],
        timeout=(app.config["INCIDENT_MANAGEMENT_CONNECT_TIMEOUT"], app.config["INCIDENT_MANAGEMENT_TIMEOUT"]),
        retries=0,
    )


def acknowledge(dedup_key, key):
    """Queue and send the acknowledgement of the key's firing alert with `dedup_key`; True once applied."""
    app = current_app._get_current_object()
    with db.transaction() as cur:
        alert = repository.queue_acknowledgement(
            cur, dedup_key, key["id"], key["name"], app.config["OUTBOX_GRACE_SECONDS"]
        )
    if alert is None:
        return False  # nothing open under that key: PagerDuty ignores it too
    if alert["incident_id"] is None:
        log.info("acknowledgement of alert %s waits for its incident", alert["id"])
        return False
    try:
        send(app, alert)
    except AcknowledgeFailed as exc:
        metrics.alert_deliveries_failed.labels(path="acknowledgement").inc()
        log.warning("acknowledgement of alert %s queued: %s", alert["id"], exc)
        return False
    with db.transaction() as cur:
        repository.delete_acknowledgement(cur, alert["id"])
    return True


def send(app, alert):
    body = {"status": "acknowledged", "actor": alert["actor"]}
    try:
        response = app.extensions[_CLIENT].patch(f"/api/v1/incidents/{alert['incident_id']}", json=body)
    except requests.RequestException as exc:
        raise AcknowledgeFailed(f"unreachable: {type(exc).__name__}") from exc
    if response.status_code not in (200, 409):  # 409: acknowledged or resolved already
        raise AcknowledgeFailed(f"answered {response.status_code}: {response.text[:200]}")


def relay_acknowledgements(app, batch_size=50):
    """Send due acknowledgements whose alert has an incident now; the rows stay locked against other workers."""
    with db.get_db(app).connection() as conn, db.cursor_in_transaction(conn) as cur:
        due = repository.claim_due_acknowledgements(cur, batch_size)
        for position, alert in enumerate(due):
            try:
                send(app, alert)
            except AcknowledgeFailed as exc:
                metrics.alert_deliveries_failed.labels(path="acknowledgement").inc()
                for waiting in due[position:]:  # incident management is unhealthy: leave the rest for later
                    repository.reschedule_acknowledgement(
                        cur, waiting["id"], str(exc), app.config["OUTBOX_MAX_BACKOFF"]
                    )
                log.warning("acknowledgement relay paused after %d of %d: %s", position, len(due), exc)
                return position
            repository.delete_acknowledgement(cur, alert["id"])
        return len(due)
