"""SQL for alerts resolved by their source. Functions take a cursor and never commit."""

# Mark the firing alert of a source's dedup key resolved (never before it fired) and queue the news for
# incident management in the same statement (alert_resolutions is its durable inbox).
RESOLVE_FIRING_BY_DEDUP_KEY = """
WITH resolved AS (
    UPDATE alerts
    SET status = 'resolved', resolved_at = GREATEST(%(resolved_at)s, occurred_at)
    WHERE dedup_key = %(dedup_key)s AND status = 'firing' AND source = %(source)s
    RETURNING id
), queued AS (
    INSERT INTO alert_resolutions (alert_id) SELECT id FROM resolved
)
SELECT r.id, ia.incident_id FROM resolved r LEFT JOIN incident_alerts ia ON ia.alert_id = r.id
"""


def resolve_firing(cur, dedup_key, source, resolved_at):
    """Resolve the firing alert holding `dedup_key`; returns {id, incident_id} or None when none fires."""
    cur.execute(RESOLVE_FIRING_BY_DEDUP_KEY, {"dedup_key": dedup_key, "source": source, "resolved_at": resolved_at})
    return cur.fetchone()
