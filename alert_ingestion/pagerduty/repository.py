"""SQL of the acknowledgements PagerDuty events ask for. Functions take a cursor and never commit."""

# Queue the acknowledgement of the integration key's firing alert with this dedup key (once: a repeat while
# one waits changes nothing); returns the alert with its incident, if it has one yet.
QUEUE_ACKNOWLEDGEMENT = """
WITH alert AS (
    SELECT id, incident_id FROM alerts
    WHERE dedup_key = %(dedup_key)s AND status = 'firing' AND integration_key_id = %(integration_key_id)s
), queued AS (
    INSERT INTO alert_acknowledgement_outbox (alert_id, actor, next_attempt_at)
    SELECT id, %(actor)s, now() + make_interval(secs => %(grace_seconds)s) FROM alert
    ON CONFLICT (alert_id) DO NOTHING
)
SELECT id, incident_id, %(actor)s AS actor FROM alert
"""

# Acknowledgements due whose alert has an incident by now, locked so that no other worker or replica takes them.
CLAIM_DUE_ACKNOWLEDGEMENTS = """
SELECT o.alert_id AS id, a.incident_id, o.actor, o.attempts
FROM alert_acknowledgement_outbox o JOIN alerts a ON a.id = o.alert_id
WHERE o.next_attempt_at <= now() AND a.incident_id IS NOT NULL
ORDER BY o.next_attempt_at
LIMIT %(limit)s
FOR UPDATE OF o SKIP LOCKED
"""

# Incident management has it: it leaves the outbox.
DELETE_ACKNOWLEDGEMENT = "DELETE FROM alert_acknowledgement_outbox WHERE alert_id = %(alert_id)s"

# Applying it failed: try again later, with exponential back-off up to a ceiling.
RESCHEDULE_ACKNOWLEDGEMENT = """
UPDATE alert_acknowledgement_outbox
SET attempts = attempts + 1,
    last_error = %(error)s,
    next_attempt_at = now() + make_interval(secs => LEAST(%(max_backoff)s, power(2, attempts)))
WHERE alert_id = %(alert_id)s
"""


def queue_acknowledgement(cur, dedup_key, integration_key_id, actor, grace_seconds):
    """The alert {id, incident_id, actor} whose acknowledgement is queued, or None when nothing is firing."""
    params = {
        "dedup_key": dedup_key,
        "integration_key_id": integration_key_id,
        "actor": actor,
        "grace_seconds": grace_seconds,
    }
    cur.execute(QUEUE_ACKNOWLEDGEMENT, params)
    return cur.fetchone()


def claim_due_acknowledgements(cur, limit):
    cur.execute(CLAIM_DUE_ACKNOWLEDGEMENTS, {"limit": limit})
    return cur.fetchall()


def delete_acknowledgement(cur, alert_id):
    cur.execute(DELETE_ACKNOWLEDGEMENT, {"alert_id": alert_id})


def reschedule_acknowledgement(cur, alert_id, error, max_backoff):
    params = {"alert_id": alert_id, "error": error[:1000], "max_backoff": max_backoff}
    cur.execute(RESCHEDULE_ACKNOWLEDGEMENT, params)
