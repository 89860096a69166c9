"""SQL for alerts resolved by their source and their outbox of resolutions. Functions take a cursor, never commit."""

# Mark the firing alert of a source's dedup key resolved (never before it fired) and queue the news for
# incident management in the same statement; the outbox is relayed over HTTP until incident management has it.
RESOLVE_FIRING_BY_DEDUP_KEY = """
WITH resolved AS (
    UPDATE alerts
    SET status = 'resolved', resolved_at = GREATEST(%(resolved_at)s, occurred_at)
    WHERE dedup_key = %(dedup_key)s AND status = 'firing' AND source = %(source)s
      AND integration_key_id IS NOT DISTINCT FROM %(integration_key_id)s
    RETURNING id, incident_id, source, resolved_at
), queued AS (
    INSERT INTO alert_resolution_outbox (alert_id, next_attempt_at)
    SELECT id, now() + make_interval(secs => %(grace_seconds)s) FROM resolved
)
SELECT id, incident_id, source, resolved_at FROM resolved
"""

# Resolutions due for relaying, locked so that no other worker or replica takes them.
CLAIM_DUE_RESOLUTIONS = """
SELECT o.alert_id AS id, o.attempts, a.source, a.resolved_at
FROM alert_resolution_outbox o JOIN alerts a ON a.id = o.alert_id
WHERE o.next_attempt_at <= now()
ORDER BY o.next_attempt_at
LIMIT %(limit)s
FOR UPDATE OF o SKIP LOCKED
"""

# Incident management has the resolution: it leaves the outbox.
DELETE_RESOLUTION = "DELETE FROM alert_resolution_outbox WHERE alert_id = %(alert_id)s"

# Relaying failed: try again later, with exponential back-off up to a ceiling.
RESCHEDULE_RESOLUTION = """
UPDATE alert_resolution_outbox
SET attempts = attempts + 1,
    last_error = %(error)s,
    next_attempt_at = now() + make_interval(secs => LEAST(%(max_backoff)s, power(2, attempts)))
WHERE alert_id = %(alert_id)s
"""


def resolve_firing(cur, dedup_key, source, resolved_at, grace_seconds=0, integration_key_id=None):
    """Resolve the firing alert holding `dedup_key` (of that integration key, or of none); returns
    {id, incident_id, source, resolved_at} or None."""
    params = {
        "dedup_key": dedup_key,
        "source": source,
        "resolved_at": resolved_at,
        "grace_seconds": grace_seconds,
        "integration_key_id": integration_key_id,
    }
    cur.execute(RESOLVE_FIRING_BY_DEDUP_KEY, params)
    return cur.fetchone()


def claim_due_resolutions(cur, limit):
    cur.execute(CLAIM_DUE_RESOLUTIONS, {"limit": limit})
    return cur.fetchall()


def delete_resolution(cur, alert_id):
    cur.execute(DELETE_RESOLUTION, {"alert_id": alert_id})


def reschedule_resolution(cur, alert_id, error, max_backoff):
    cur.execute(RESCHEDULE_RESOLUTION, {"alert_id": alert_id, "error": error[:1000], "max_backoff": max_backoff})


# Incident management resolved their incident (by hand, or as merged): its alerts stop firing here too, so a
# repeat of one of them (same dedup_key) opens a new incident instead of joining the closed one.
RESOLVE_FIRING_OF_INCIDENT = """
UPDATE alerts SET status = 'resolved', resolved_at = GREATEST(%(resolved_at)s, occurred_at)
WHERE id = ANY(%(alert_ids)s::uuid[]) AND status = 'firing'
"""


def resolve_firing_of_incident(cur, alert_ids, resolved_at):
    """Resolve those of the alerts that still fire; returns how many did."""
    cur.execute(
        RESOLVE_FIRING_OF_INCIDENT, {"alert_ids": [str(alert_id) for alert_id in alert_ids], "resolved_at": resolved_at}
    )
    return cur.rowcount
