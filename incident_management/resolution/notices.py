"""Telling alert ingestion which incidents were resolved here, so that their alerts stop firing there.

Without it a repeat of an alert (Alertmanager re-sends a firing group every repeat_interval, a script retries
with its dedup_key) would be answered "duplicate" and point at an incident someone already closed: nobody would
be paged again although the problem is back. The notice is queued by trigger in the resolving transaction
(migration 0185) and relayed from here until ingestion answers; ingestion's update is idempotent.
"""

import logging

import requests

from incident_management.resolution import repository
from servicekit import background, db
from servicekit.http import ServiceClient

log = logging.getLogger(__name__)

_CLIENT = "incident_management.alert_ingestion"
PATH = "/api/v1/alerts/incident-resolutions"
CHUNK = 1000  # alerts per call: ingestion's limit

SETTINGS = {
    "ALERT_INGESTION_URL": "http://alert-ingestion:8001",
    "RESOLUTION_NOTICE_INTERVAL": 1.0,
    "RESOLUTION_NOTICE_BATCH": 20,
    "RESOLUTION_NOTICE_MAX_BACKOFF": 60.0,
}


class NoticeFailed(Exception):
    """Alert ingestion did not take the notice (down, slow, or answered an error)."""


def init_app(app):
    # No retries inside a call: the job itself retries with back-off.
    app.extensions[_CLIENT] = ServiceClient(app.config["ALERT_INGESTION_URL"], timeout=(0.5, 5.0), retries=0)
    background.register(app, "resolution-notices", relay, app.config["RESOLUTION_NOTICE_INTERVAL"])


def relay(app):
    """Relay due notices, one transaction each; stop at the first failure (the rest wait for the next tick)."""
    sent = 0
    with db.get_db(app).connection() as conn:
        while sent < app.config["RESOLUTION_NOTICE_BATCH"]:
            with db.cursor_in_transaction(conn) as cur:
                notice = repository.claim_due_notice(cur)
                if notice is None:
                    break
                try:
                    _tell(app, notice, repository.unresolved_alert_ids(cur, notice["incident_id"]))
                except NoticeFailed as exc:
                    log.warning("incident %s: resolution notice not taken: %s", notice["incident_id"], exc)
                    repository.reschedule_notice(
                        cur, notice["incident_id"], str(exc), app.config["RESOLUTION_NOTICE_MAX_BACKOFF"]
                    )
                    break
                repository.delete_notice(cur, notice["incident_id"])
            sent += 1
    return sent


def _tell(app, notice, alert_ids):
    client = app.extensions[_CLIENT]
    for start in range(0, len(alert_ids), CHUNK):
        body = {
            "incident_id": str(notice["incident_id"]),
            "resolved_at": notice["resolved_at"].isoformat(),
            "alert_ids": [str(alert_id) for alert_id in alert_ids[start : start + CHUNK]],
        }
        try:
            status, answer = client.post_json(PATH, body)
        except requests.RequestException as exc:
            raise NoticeFailed(f"alert ingestion unreachable: {str(exc)[:300]}") from exc
        if status != 200:
            raise NoticeFailed(f"alert ingestion answered {status}: {str(answer)[:200]}")
