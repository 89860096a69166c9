"""SQL of moving alerts between incidents. Functions take a cursor and never commit."""

# The attachments to move, locked first (the order every writer of an attachment follows: the attachment,
# then the correlation key, then the incident): one alert of the incident, or all of them.
LOCK_ATTACHMENTS = """
SELECT alert_id, message FROM incident_alerts
WHERE incident_id = %(incident_id)s AND (%(alert_id)s::uuid IS NULL OR alert_id = %(alert_id)s)
ORDER BY attached_at, alert_id
FOR UPDATE
"""

# The incidents involved, locked in one order (by id) so that two moves between the same two never deadlock.
LOCK_INCIDENTS = "SELECT id FROM incidents WHERE id = ANY(%(ids)s::uuid[]) ORDER BY id FOR UPDATE"

# Move attachments to another incident and keep both incidents' alert counts true.
MOVE_ATTACHMENTS = """
WITH moved AS (
    UPDATE incident_alerts SET incident_id = %(to)s, correlation = %(correlation)s
    WHERE alert_id = ANY(%(alert_ids)s::uuid[]) AND incident_id = %(from)s
    RETURNING alert_id
), counted_out AS (
    UPDATE incidents SET alert_count = alert_count - (SELECT count(*) FROM moved), updated_at = now()
    WHERE id = %(from)s
), counted_in AS (
    UPDATE incidents SET alert_count = alert_count + (SELECT count(*) FROM moved), updated_at = now()
    WHERE id = %(to)s
)
SELECT count(*) AS moved FROM moved
"""


def lock_attachments(cur, incident_id, alert_id=None):
    cur.execute(LOCK_ATTACHMENTS, {"incident_id": incident_id, "alert_id": alert_id})
    return cur.fetchall()


def lock_incidents(cur, incident_ids):
    cur.execute(LOCK_INCIDENTS, {"ids": sorted(str(incident_id) for incident_id in incident_ids)})


def move(cur, alert_ids, from_id, to_id, correlation):
    params = {
        "alert_ids": [str(alert_id) for alert_id in alert_ids],
        "from": from_id,
        "to": to_id,
        "correlation": correlation,
    }
    cur.execute(MOVE_ATTACHMENTS, params)
    return cur.fetchone()["moved"]
