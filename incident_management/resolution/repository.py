"""SQL for alerts resolved by their source (the `alert_resolutions` queue). Functions take a cursor, never commit."""

# The queued resolution of one alert, locked (waiting for a job that holds it); no row once it is recorded.
LOCK_QUEUED_RESOLUTION = "SELECT alert_id FROM alert_resolutions WHERE alert_id = %(alert_id)s FOR UPDATE"

# The oldest queued resolution whose alert is attached to an incident, locked; rows another worker holds are skipped.
CLAIM_QUEUED_RESOLUTION = """
SELECT r.alert_id
FROM alert_resolutions r JOIN incident_alerts ia ON ia.alert_id = r.alert_id
ORDER BY r.created_at
LIMIT 1
FOR UPDATE OF r SKIP LOCKED
"""

# Recorded: the resolution leaves the queue.
DELETE_QUEUED_RESOLUTION = "DELETE FROM alert_resolutions WHERE alert_id = %(alert_id)s"

# An alert with its incident's identity (service and severity never change), and the database's current time.
SELECT_ALERT_WITH_INCIDENT = """
SELECT a.id, a.source, a.message, a.status, a.resolved_at, ia.incident_id, i.service, i.severity, i.status AS
       incident_status, clock_timestamp() AS now
FROM alerts a
LEFT JOIN incident_alerts ia ON ia.alert_id = a.id
LEFT JOIN incidents i ON i.id = ia.incident_id
WHERE a.id = %(alert_id)s
"""

# How many of an incident's alerts still fire, how many resolutions wait to be recorded, when the last alert ended.
SELECT_INCIDENT_ALERT_STATE = """
SELECT count(*) FILTER (WHERE a.status = 'firing') AS firing, count(r.alert_id) AS unrecorded,
       max(a.resolved_at) AS last_resolved_at
FROM incident_alerts ia
JOIN alerts a ON a.id = ia.alert_id
LEFT JOIN alert_resolutions r ON r.alert_id = ia.alert_id
WHERE ia.incident_id = %(incident_id)s
"""


def lock_queued(cur, alert_id):
    cur.execute(LOCK_QUEUED_RESOLUTION, {"alert_id": alert_id})
    return cur.fetchone()


def claim_queued(cur):
    cur.execute(CLAIM_QUEUED_RESOLUTION)
    row = cur.fetchone()
    return row["alert_id"] if row else None


def delete_queued(cur, alert_id):
    cur.execute(DELETE_QUEUED_RESOLUTION, {"alert_id": alert_id})


def get_alert(cur, alert_id):
    cur.execute(SELECT_ALERT_WITH_INCIDENT, {"alert_id": alert_id})
    return cur.fetchone()


def incident_alert_state(cur, incident_id):
    """{firing, unrecorded, last_resolved_at} over the incident's alerts."""
    cur.execute(SELECT_INCIDENT_ALERT_STATE, {"incident_id": incident_id})
    return cur.fetchone()
