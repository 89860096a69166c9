"""Alerts resolved by their source, recorded on their incidents; the incident resolved with the last of them.

Alert ingestion resolves the alert and queues it in `alert_resolutions` in one
transaction, then calls `POST /api/v1/incidents/alerts/resolved`. The
reconciliation job records whatever that call missed (incident management was
down, or the alert was not attached yet), so both paths run the same function
under the same locks: the queue row, then the correlation key, then the incident.
"""

import logging

from incident_management.correlation import repository as attachments
from incident_management.lifecycle import repository
from incident_management.paging import actions as paging_actions
from incident_management.reporting import metrics
from incident_management.resolution import repository as resolution_repository
from incident_management.resolution import rules as source_resolution
from servicekit import background, db
from servicekit.errors import Conflict, NotFound

log = logging.getLogger(__name__)


def init_app(app):
    background.register(app, "source-resolution", reconcile, app.config["SOURCE_RESOLUTION_INTERVAL"])


def record_alert_resolution(cur, alert_id):
    """Record one resolved alert now (idempotent). Returns (answer, (before, after) when it resolved the incident)."""
    queued = resolution_repository.lock_queued(cur, alert_id)
    alert = resolution_repository.get_alert(cur, alert_id)
    if alert is None:
        raise NotFound(f"alert {alert_id} not found")
    if alert["status"] != "resolved":
        raise Conflict(f"alert {alert_id} is still firing: only an alert resolved by its source can be recorded")
    if queued is None or alert["incident_id"] is None:
        # Recorded before, or not attached yet: the job records it once the alert has its incident.
        return _answer(alert, alert["incident_status"], recorded=False), None
    incident, change = _record(cur, alert)
    return _answer(alert, incident["status"], recorded=True, resolved=change is not None), change


def reconcile(app, batch_size=100):
    """Record queued resolutions that no request recorded; returns how many it recorded."""
    recorded = 0
    with db.get_db(app).connection() as conn:
        while recorded < batch_size:
            with db.cursor_in_transaction(conn) as cur:
                alert_id = resolution_repository.claim_queued(cur)
                if alert_id is None:
                    break
                _incident, change = _record(cur, resolution_repository.get_alert(cur, alert_id))
            if change:
                metrics.observe_change(*change)
                log.info("incident %s resolved by its source (reconciliation)", change[1]["id"])
            recorded += 1
    return recorded


def _record(cur, alert):
    """Timeline `alert_resolved`; then `resolved` by the source when none of the incident's alerts fires any more
    and this was the last resolution to record (the correlation key's lock serialises an incident's recordings)."""
    attachments.lock_key(cur, alert["service"], alert["severity"])  # no alert joins while we decide
    incident = repository.get_incident(cur, alert["incident_id"], for_update=True)
    detail = {
        "alert_id": str(alert["id"]),
        "resolved_at": alert["resolved_at"].isoformat() if alert["resolved_at"] else None,
        "message": alert["message"][:500],
    }
    repository.insert_event(cur, incident["id"], "alert_resolved", alert["source"], detail)
    resolution_repository.delete_queued(cur, alert["id"])
    state = resolution_repository.incident_alert_state(cur, incident["id"])
    if not source_resolution.should_resolve(incident, state["firing"], state["unrecorded"]):
        return incident, None
    updates = source_resolution.plan_resolution(incident, state["last_resolved_at"], alert["source"], alert["now"])
    resolved = repository.update_incident(cur, incident["id"], updates)
    repository.insert_event(
        cur,
        incident["id"],
        "resolved",
        alert["source"],
        {"mttr_seconds": updates["mttr_seconds"], "reason": source_resolution.REASON},
    )
    paging_actions.notify_on_change(cur, incident, resolved, alert["source"])  # the assignee hears of it
    return resolved, (incident, resolved)


def _answer(alert, incident_status, recorded, resolved=False):
    return {
        "alert_id": alert["id"],
        "incident_id": alert["incident_id"],
        "recorded": recorded,
        "incident_status": incident_status,
        "incident_resolved": resolved,
    }
