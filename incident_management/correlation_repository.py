"""SQL that attaches alerts to incidents. Functions take a cursor and never commit."""

from psycopg2.extras import Json

# Serialise correlation of one service and severity across workers and replicas; released at commit.
LOCK_CORRELATION_KEY = "SELECT pg_advisory_xact_lock(hashtextextended(%(service)s || '/' || %(severity)s, 0))"

# The incident an alert was already attached to (a repeated delivery).
SELECT_ATTACHMENT = "SELECT incident_id, correlation FROM incident_alerts WHERE alert_id = %(alert_id)s"

# Unresolved incidents of the key opened within the window, with the current time (read after the lock).
SELECT_CANDIDATES = """
SELECT id, service, severity, status, created_at, clock_timestamp() AS now
FROM incidents
WHERE service = %(service)s AND severity = %(severity)s AND status <> 'resolved'
  AND created_at >= clock_timestamp() - make_interval(secs => %(window)s)
ORDER BY created_at DESC
LIMIT 10
"""

# The database's current time (not the transaction's start).
SELECT_NOW = "SELECT clock_timestamp() AS now"

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


def find_attachment(cur, alert_id):
    cur.execute(SELECT_ATTACHMENT, {"alert_id": alert_id})
    return cur.fetchone()


def candidates(cur, service, severity, window_seconds):
    """Return (candidate incidents, database now)."""
    cur.execute(SELECT_CANDIDATES, {"service": service, "severity": severity, "window": window_seconds})
    rows = cur.fetchall()
    if rows:
        return rows, rows[0]["now"]
    cur.execute(SELECT_NOW)
    return [], cur.fetchone()["now"]


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
