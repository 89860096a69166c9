"""Telling alert ingestion an alert's new incident (a move, a held alert released), from an outbox.

Alert ingestion keeps its own reference to each alert's incident (from our answer when it
delivered the alert). When the incident changes later, the change is queued in
`alert_reference_outbox` in the same transaction and relayed over HTTP in batches until
ingestion has it; a newer change of the same alert replaces an older one not relayed yet.
"""

import logging

import requests

from servicekit import background, db
from servicekit.http import ServiceClient

log = logging.getLogger(__name__)

_EXTENSION = "incident_management.alert_references"
PATH = "/api/v1/alerts/references"
SETTINGS = {
    "ALERT_INGESTION_URL": "http://alert-ingestion:8001",
    "ALERT_REFERENCE_INTERVAL": 2.0,
    "ALERT_REFERENCE_MAX_BACKOFF": 300.0,
}

# Queue the alert's new incident for alert ingestion (the newest change wins).
QUEUE_REFERENCE = """
INSERT INTO alert_reference_outbox (alert_id, incident_id, correlation)
VALUES (%(alert_id)s, %(incident_id)s, %(correlation)s)
ON CONFLICT (alert_id) DO UPDATE
SET incident_id = EXCLUDED.incident_id, correlation = EXCLUDED.correlation, attempts = 0, next_attempt_at = now(),
    last_error = NULL
"""

# Changes due for relaying, locked so that no other worker or replica relays them too.
CLAIM_DUE_REFERENCES = """
SELECT alert_id, incident_id, correlation FROM alert_reference_outbox
WHERE next_attempt_at <= now()
ORDER BY next_attempt_at
LIMIT %(limit)s
FOR UPDATE SKIP LOCKED
"""

# Alert ingestion has them.
DELETE_REFERENCES = "DELETE FROM alert_reference_outbox WHERE alert_id = ANY(%(alert_ids)s::uuid[])"

# Relaying failed: again later, with exponential back-off up to a ceiling.
RESCHEDULE_REFERENCES = """
UPDATE alert_reference_outbox
SET attempts = attempts + 1, last_error = %(error)s,
    next_attempt_at = now() + make_interval(secs => LEAST(%(max_backoff)s, power(2, attempts)))
WHERE alert_id = ANY(%(alert_ids)s::uuid[])
"""


def queue(cur, alert_id, incident_id, correlation="existing_incident"):
    cur.execute(QUEUE_REFERENCE, {"alert_id": alert_id, "incident_id": incident_id, "correlation": correlation})


def init_app(app):
    app.extensions[_EXTENSION] = ServiceClient(app.config["ALERT_INGESTION_URL"], timeout=(1.0, 5.0), retries=0)
    background.register(app, "alert-references", relay, app.config["ALERT_REFERENCE_INTERVAL"])


def relay(app, batch_size=200):
    """Send due reference changes to alert ingestion in one request; returns how many it took."""
    with db.get_db(app).connection() as conn, db.cursor_in_transaction(conn) as cur:
        cur.execute(CLAIM_DUE_REFERENCES, {"limit": batch_size})
        due = cur.fetchall()
        if not due:
            return 0
        alert_ids = [str(row["alert_id"]) for row in due]
        body = {
            "references": [
                {
                    "alert_id": str(row["alert_id"]),
                    "incident_id": str(row["incident_id"]),
                    "correlation": row["correlation"],
                }
                for row in due
            ]
        }
        try:
            response = app.extensions[_EXTENSION].post(PATH, json=body)
            failure = None if response.status_code == 200 else f"answered {response.status_code}: {response.text[:200]}"
        except requests.RequestException as exc:
            failure = f"unreachable: {type(exc).__name__}"
        if failure:
            max_backoff = app.config["ALERT_REFERENCE_MAX_BACKOFF"]
            cur.execute(RESCHEDULE_REFERENCES, {"alert_ids": alert_ids, "error": failure, "max_backoff": max_backoff})
            log.warning("alert references stay queued: alert ingestion %s", failure)
            return 0
        cur.execute(DELETE_REFERENCES, {"alert_ids": alert_ids})
        return len(due)
