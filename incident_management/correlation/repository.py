"""SQL that attaches alerts to incidents. Functions take a cursor and never commit."""

from psycopg2.extras import Json

# Serialise correlation of one service and severity across workers and replicas; released at commit.
LOCK_CORRELATION_KEY = "SELECT pg_advisory_xact_lock(hashtextextended(%(service)s || '/' || %(severity)s, 0))"

# After the lock, in one round trip: the incident the alert is already attached to (a repeated
# delivery), the unresolved incidents of its key opened within the window, and the current time.
SELECT_ATTACHMENT_AND_CANDIDATES = """
SELECT now.now, attached.incident_id AS attached_to, attached.correlation AS attached_as,
       i.id, i.service, i.severity, i.status, i.created_at
FROM (SELECT clock_timestamp() AS now) AS now
LEFT JOIN incident_alerts AS attached ON attached.alert_id = %(alert_id)s
LEFT JOIN LATERAL (
    SELECT id, service, severity, status, created_at
    FROM incidents
    WHERE service = %(service)s AND severity = %(severity)s AND status <> 'resolved'
      AND created_at >= now.now - make_interval(secs => %(window)s)
    ORDER BY created_at DESC
    LIMIT 10
) AS i ON attached.incident_id IS NULL
"""

# Attach the alert, count it on the incident and record it in the timeline, in one round trip.
ATTACH_ALERT = """
WITH attached AS (
    INSERT INTO incident_alerts (alert_id, incident_id, correlation)
    VALUES (%(alert_id)s, %(incident_id)s, %(correlation)s)
    ON CONFLICT (alert_id) DO NOTHING
    RETURNING incident_id
), counted AS (
    UPDATE incidents SET alert_count = alert_count + 1, updated_at = now()
    WHERE id IN (SELECT incident_id FROM attached)
), event AS (
    INSERT INTO incident_timeline (incident_id, event_type, actor, detail)
    SELECT incident_id, 'alert_attached', 'alert-ingestion', %(detail)s FROM attached
)
SELECT count(*) AS attached FROM attached
"""


def lock_key(cur, service, severity):
    cur.execute(LOCK_CORRELATION_KEY, {"service": service, "severity": severity})


def lock_and_lookup(cur, alert_id, service, severity, window_seconds):
    """Take the key's lock, then return (existing attachment or None, candidate incidents, database now).

    Both statements go in one round trip; the second still takes its snapshot after the
    lock is granted (read committed: a snapshot per statement), so it sees what the
    previous holder of the lock committed.
    """
    params = {"alert_id": alert_id, "service": service, "severity": severity, "window": window_seconds}
    cur.execute(f"{LOCK_CORRELATION_KEY};\n{SELECT_ATTACHMENT_AND_CANDIDATES}", params)
    rows = cur.fetchall()
    first = rows[0]
    if first["attached_to"] is not None:
        return {"incident_id": first["attached_to"], "correlation": first["attached_as"]}, [], first["now"]
    return None, [row for row in rows if row["id"] is not None], first["now"]


def attach_alert(cur, alert, incident_id, correlation):
    detail = {"alert_id": str(alert["alert_id"]), "message": alert["message"][:500]}
    params = {
        "alert_id": alert["alert_id"],
        "incident_id": incident_id,
        "correlation": correlation,
        "detail": Json(detail),
    }
    cur.execute(ATTACH_ALERT, params)
    return cur.fetchone()["attached"] == 1
