"""SQL for alerts resolved by their source: the `alert_resolutions` inbox and the attached alerts' own state.

Alert ingestion reports resolutions over HTTP; what cannot be recorded at once
(the alert is not attached yet) waits in the inbox. Functions take a cursor, never commit.
"""

# An attached alert with its incident's identity (service, severity and group never change) and the database's
# current time, locked: the one place that serialises recording of this alert's resolution.
LOCK_ATTACHMENT = """
SELECT ia.alert_id AS id, ia.incident_id, ia.message, ia.resolved_at AS recorded_at, i.service, i.severity,
       i.group_key, i.status AS incident_status, clock_timestamp() AS now
FROM incident_alerts ia JOIN incidents i ON i.id = ia.incident_id
WHERE ia.alert_id = %(alert_id)s
FOR UPDATE OF ia
"""

# Keep a resolution of an alert that is not attached yet; a repeated report changes nothing.
QUEUE_RESOLUTION = """
INSERT INTO alert_resolutions (alert_id, resolved_at, source) VALUES (%(alert_id)s, %(resolved_at)s, %(source)s)
ON CONFLICT (alert_id) DO NOTHING
"""

# The oldest queued resolution whose alert is attached by now and not recorded, with its attachment locked (the
# one lock every recorder takes first, so none waits for another's queue row); attachments held are skipped.
CLAIM_QUEUED_RESOLUTION = """
SELECT r.alert_id AS id, r.resolved_at, r.source, ia.incident_id, ia.message, i.service, i.severity,
       i.group_key, clock_timestamp() AS now
FROM alert_resolutions r
JOIN incident_alerts ia ON ia.alert_id = r.alert_id
JOIN incidents i ON i.id = ia.incident_id
WHERE ia.resolved_at IS NULL
ORDER BY r.created_at
LIMIT 1
FOR UPDATE OF ia SKIP LOCKED
"""

# Recorded: the alert's resolution is noted on its attachment and leaves the inbox.
RECORD_RESOLUTION = """
WITH noted AS (
    UPDATE incident_alerts SET resolved_at = %(resolved_at)s WHERE alert_id = %(alert_id)s
)
DELETE FROM alert_resolutions WHERE alert_id = %(alert_id)s
"""

# How many of an incident's alerts still fire, how many resolutions wait to be recorded, when the last alert ended.
SELECT_INCIDENT_ALERT_STATE = """
SELECT count(*) FILTER (WHERE ia.resolved_at IS NULL AND r.alert_id IS NULL) AS firing,
       count(r.alert_id) AS unrecorded,
       max(COALESCE(ia.resolved_at, r.resolved_at)) AS last_resolved_at
FROM incident_alerts ia
LEFT JOIN alert_resolutions r ON r.alert_id = ia.alert_id
WHERE ia.incident_id = %(incident_id)s
"""


def lock_attachment(cur, alert_id):
    cur.execute(LOCK_ATTACHMENT, {"alert_id": alert_id})
    return cur.fetchone()


def queue(cur, alert_id, resolved_at, source):
    cur.execute(QUEUE_RESOLUTION, {"alert_id": alert_id, "resolved_at": resolved_at, "source": source})


def claim_queued(cur):
    cur.execute(CLAIM_QUEUED_RESOLUTION)
    return cur.fetchone()


def record(cur, alert_id, resolved_at):
    cur.execute(RECORD_RESOLUTION, {"alert_id": alert_id, "resolved_at": resolved_at})


def incident_alert_state(cur, incident_id):
    """{firing, unrecorded, last_resolved_at} over the incident's alerts."""
    cur.execute(SELECT_INCIDENT_ALERT_STATE, {"incident_id": incident_id})
    return cur.fetchone()


# --- Telling alert ingestion that an incident was resolved here (incident_resolution_notices, migration 0185) ---

# One due notice, locked so that no other worker or replica takes it while it is relayed.
CLAIM_DUE_NOTICE = """
SELECT incident_id, resolved_at, attempts FROM incident_resolution_notices
WHERE next_attempt_at <= now()
ORDER BY next_attempt_at
LIMIT 1
FOR UPDATE SKIP LOCKED
"""

# The incident's alerts that no source has resolved: ingestion still counts them as firing.
SELECT_UNRESOLVED_ALERT_IDS = """
SELECT alert_id FROM incident_alerts WHERE incident_id = %(incident_id)s AND resolved_at IS NULL ORDER BY alert_id
"""

DELETE_NOTICE = "DELETE FROM incident_resolution_notices WHERE incident_id = %(incident_id)s"

# Relaying failed: try again later, with exponential back-off up to a ceiling.
RESCHEDULE_NOTICE = """
UPDATE incident_resolution_notices
SET attempts = attempts + 1,
    last_error = %(error)s,
    next_attempt_at = now() + make_interval(secs => LEAST(%(max_backoff)s, power(2, attempts)))
WHERE incident_id = %(incident_id)s
"""


def claim_due_notice(cur):
    cur.execute(CLAIM_DUE_NOTICE)
    return cur.fetchone()


def unresolved_alert_ids(cur, incident_id):
    cur.execute(SELECT_UNRESOLVED_ALERT_IDS, {"incident_id": incident_id})
    return [row["alert_id"] for row in cur.fetchall()]


def delete_notice(cur, incident_id):
    cur.execute(DELETE_NOTICE, {"incident_id": incident_id})


def reschedule_notice(cur, incident_id, error, max_backoff):
    cur.execute(RESCHEDULE_NOTICE, {"incident_id": incident_id, "error": error[:1000], "max_backoff": max_backoff})
