"""SQL that attaches alerts to incidents. Functions take a cursor and never commit."""

import datetime as dt

from psycopg2.extras import Json

from servicekit import prepared

# Serialise correlation of one service, severity and group (none by default) across workers and replicas;
# released at commit. Without a group the key is the same as before grouping rules existed.
LOCK_CORRELATION_KEY = (
    "SELECT pg_advisory_xact_lock("
    "hashtextextended(%(service)s || '/' || %(severity)s || COALESCE('/' || %(group_key)s::text, ''), 0))"
)

# After the lock, in one round trip: the incident the alert is already attached to (a repeated
# delivery), whether its grouping rule holds it, the unresolved incidents of its key opened within the window,
# and the current time.
SELECT_ATTACHMENT_AND_CANDIDATES = """
SELECT now.now, attached.incident_id AS attached_to, attached.correlation AS attached_as,
       held.alert_id IS NOT NULL AS held,
       i.id, i.service, i.severity, i.group_key, i.status, i.created_at
FROM (SELECT clock_timestamp() AS now) AS now
LEFT JOIN incident_alerts AS attached ON attached.alert_id = %(alert_id)s
LEFT JOIN held_alerts AS held ON held.alert_id = %(alert_id)s
LEFT JOIN LATERAL (
    SELECT id, service, severity, group_key, status, created_at
    FROM incidents
    WHERE service = %(service)s AND severity = %(severity)s AND status <> 'resolved'
      AND group_key IS NOT DISTINCT FROM %(group_key)s
      AND created_at >= now.now - make_interval(secs => %(window)s)
    ORDER BY created_at DESC
    LIMIT 10
) AS i ON attached.incident_id IS NULL AND held.alert_id IS NULL
"""

# Attach alerts (with incident management's own copy of each), each to the incident decided for it under its
# key's lock, count them on their incidents and record them in the timelines: one statement for a whole batch,
# so one run of the words trigger and one update per incident instead of one of each per alert.
ATTACH_ALERTS = """
WITH batch AS (
    SELECT * FROM jsonb_to_recordset(%(alerts)s::jsonb) AS r(
        position int, alert_id uuid, incident_id uuid, correlation text, message text, labels jsonb, links jsonb,
        images jsonb, source text, occurred_at timestamptz, received_at timestamptz, detail jsonb)
), attached AS (
    INSERT INTO incident_alerts (alert_id, incident_id, correlation, message, labels, links, images, source,
                                 occurred_at, received_at)
    SELECT alert_id, incident_id, correlation, message, labels, links, images, source,
           COALESCE(occurred_at, now()), COALESCE(received_at, now())
    FROM batch ORDER BY position
    ON CONFLICT (alert_id) DO NOTHING
    RETURNING alert_id, incident_id
), counted AS (
    UPDATE incidents SET alert_count = alert_count + added.alerts, updated_at = now()
    FROM (SELECT incident_id, count(*) AS alerts FROM attached GROUP BY incident_id) AS added
    WHERE id = added.incident_id
), event AS (
    INSERT INTO incident_timeline (incident_id, event_type, actor, detail)
    SELECT attached.incident_id, 'alert_attached', 'alert-ingestion', batch.detail
    FROM attached JOIN batch USING (alert_id) ORDER BY batch.position
)
SELECT count(*) AS attached FROM attached
"""

# The alert path's statements, planned once per connection (servicekit.prepared).
LOCK_KEY = prepared.Prepared("correlation_lock_key", LOCK_CORRELATION_KEY)
LOOKUP = prepared.Prepared("correlation_lookup", SELECT_ATTACHMENT_AND_CANDIDATES)
ATTACH_MANY = prepared.Prepared("correlation_attach_many", ATTACH_ALERTS)


def lock_key(cur, service, severity, group_key=None):
    cur.execute(LOCK_CORRELATION_KEY, {"service": service, "severity": severity, "group_key": group_key})


def lock_and_lookup(cur, alert_id, service, severity, window_seconds, group_key=None):
    """Take the key's lock, then return (existing attachment or None, candidate incidents, database now).

    The existing attachment is {incident_id, correlation}; a held alert's is {incident_id: None, correlation:
    "held"}.

    Both statements go in one round trip; the second still takes its snapshot after the
    lock is granted (read committed: a snapshot per statement), so it sees what the
    previous holder of the lock committed.
    """
    params = {
        "alert_id": alert_id,
        "service": service,
        "severity": severity,
        "group_key": group_key,
        "window": window_seconds,
    }
    prepared.run_all(cur, [LOCK_KEY, LOOKUP], params)
    rows = cur.fetchall()
    first = rows[0]
    if first["attached_to"] is not None:
        return {"incident_id": first["attached_to"], "correlation": first["attached_as"]}, [], first["now"]
    if first["held"]:
        return {"incident_id": None, "correlation": "held"}, [], first["now"]
    return None, [row for row in rows if row["id"] is not None], first["now"]


def attach_alert(cur, alert, incident_id, correlation):
    """Attach one alert; False when it was attached already."""
    return attach_alerts(cur, [(alert, incident_id, correlation)]) == 1


def attach_alerts(cur, attachments):
    """Attach each (alert, incident_id, correlation) in one statement; how many were not attached before."""
    rows = [
        {
            "position": position,
            "alert_id": str(alert["alert_id"]),
            "incident_id": str(incident_id),
            "correlation": correlation,
            "message": alert["message"],
            "labels": alert.get("labels") or {},
            "links": alert.get("links") or [],
            "images": alert.get("images") or [],
            "source": alert.get("source") or "api",
            "occurred_at": _iso(alert.get("timestamp")),
            "received_at": _iso(alert.get("received_at")),
            "detail": _detail(alert),
        }
        for position, (alert, incident_id, correlation) in enumerate(attachments)
    ]
    ATTACH_MANY.run(cur, {"alerts": Json(rows)})
    return cur.fetchone()["attached"]


def _detail(alert):
    return {"alert_id": str(alert["alert_id"]), "message": alert["message"][:500]}


def _iso(moment):
    """A datetime as JSON; a held alert's copy already has its times as ISO 8601 text."""
    return moment.isoformat() if isinstance(moment, dt.datetime) else moment
