"""Alerts resolved by their source, recorded on their incidents; the incident resolved with the last of them.

Alert ingestion resolves the alert and reports it with
`POST /api/v1/incidents/alerts/resolved` (relaying from its own outbox until we
answer). A resolution of an alert that is not attached yet waits in our
`alert_resolutions` inbox; the reconciliation job records it once the alert has
its incident. Both paths run the same function under the same locks: the
attachment row, then the correlation key, then the incident.
"""

import logging

from incident_management.correlation import repository as attachments
from incident_management.lifecycle import repository
from incident_management.paging import actions as paging_actions
from incident_management.reporting import metrics
from incident_management.resolution import repository as resolution_repository
from incident_management.resolution import rules as source_resolution
from servicekit import background, db

log = logging.getLogger(__name__)


def init_app(app):
    background.register(app, "source-resolution", reconcile, app.config["SOURCE_RESOLUTION_INTERVAL"])


def record_alert_resolution(cur, alert_id, resolved_at, source):
    """Record one resolved alert now (idempotent). Returns (answer, (before, after) when it resolved the incident)."""
    attached = resolution_repository.lock_attachment(cur, alert_id)
    if attached is None:
        # Not attached yet: the job records it once the alert has its incident.
        resolution_repository.queue(cur, alert_id, resolved_at, source)
        return _answer({"id": alert_id, "incident_id": None}, None, recorded=False), None
    if attached["recorded_at"] is not None:
        return _answer(attached, attached["incident_status"], recorded=False), None
    incident, change = _record(cur, {**attached, "resolved_at": resolved_at, "source": source})
    return _answer(attached, incident["status"], recorded=True, resolved=change is not None), change


def reconcile(app, batch_size=100):
    """Record queued resolutions that no request recorded; returns how many it recorded."""
    recorded = 0
    with db.get_db(app).connection() as conn:
        while recorded < batch_size:
            with db.cursor_in_transaction(conn) as cur:
                alert = resolution_repository.claim_queued(cur)
                if alert is None:
                    break
                _incident, change = _record(cur, alert)
            if change:
                metrics.observe_change(*change)
                log.info("incident %s resolved by its source (reconciliation)", change[1]["id"])
            recorded += 1
    return recorded


def _record(cur, alert):
    """Timeline `alert_resolved`; then `resolved` by the source when none of the incident's alerts fires any more
    and this was the last resolution to record (the correlation key's lock serialises an incident's recordings)."""
    attachments.lock_key(cur, alert["service"], alert["severity"], alert["group_key"])  # no alert joins meanwhile
    incident = repository.get_incident(cur, alert["incident_id"], for_update=True)
    detail = {
        "alert_id": str(alert["id"]),
        "resolved_at": alert["resolved_at"].isoformat() if alert["resolved_at"] else None,
        "message": alert["message"][:500],
    }
    repository.insert_event(cur, incident["id"], "alert_resolved", alert["source"], detail)
    resolution_repository.record(cur, alert["id"], alert["resolved_at"])
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
