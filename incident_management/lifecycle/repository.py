"""SQL of incident management: incidents, their alerts, notes and timeline.

Functions take a cursor and never commit: the caller owns the transaction.
"""

from psycopg2 import sql
from psycopg2.extras import Json

INCIDENT_COLUMNS = """
    id, title, description, service, severity, status, team, assigned_to, assigned_email,
    escalation_level, alert_count, created_at, updated_at, acknowledged_at, in_progress_at,
    resolved_at, resolved_by, mtta_seconds, mttr_seconds, unpaged, group_key
"""

# Open an incident and write its first timeline event in one round trip.
INSERT_INCIDENT = f"""
WITH incident AS (
    INSERT INTO incidents (title, description, service, severity, team, assigned_to, assigned_email, group_key)
    VALUES (%(title)s, %(description)s, %(service)s, %(severity)s, %(team)s, %(assigned_to)s, %(assigned_email)s,
            %(group_key)s)
    RETURNING {INCIDENT_COLUMNS}
), event AS (
    INSERT INTO incident_timeline (incident_id, event_type, actor, detail)
    SELECT id, 'created', %(actor)s, %(detail)s FROM incident
)
SELECT * FROM incident
"""

# One incident; FOR UPDATE variant below serialises changes to it.
SELECT_INCIDENT = f"SELECT {INCIDENT_COLUMNS} FROM incidents WHERE id = %(id)s"
SELECT_INCIDENT_FOR_UPDATE = SELECT_INCIDENT + " FOR UPDATE"

# The newest alerts of an incident, from incident management's own copy (the full list is on alert ingestion's
# API); an alert counts as resolved once its source's resolution reached us, recorded or still queued.
SELECT_INCIDENT_ALERTS = """
SELECT ia.alert_id AS id, i.service, i.severity, ia.message, ia.labels, ia.links, ia.images, ia.source,
       CASE WHEN ia.resolved_at IS NULL AND r.alert_id IS NULL THEN 'firing' ELSE 'resolved' END AS status,
       ia.occurred_at, ia.received_at, COALESCE(ia.resolved_at, r.resolved_at) AS resolved_at,
       ia.correlation, ia.attached_at
FROM incident_alerts ia
JOIN incidents i ON i.id = ia.incident_id
LEFT JOIN alert_resolutions r ON r.alert_id = ia.alert_id
WHERE ia.incident_id = %(id)s
ORDER BY ia.attached_at DESC
LIMIT %(limit)s
"""

# Notes of an incident, oldest first.
SELECT_NOTES = """
SELECT id, author, content, created_at FROM incident_notes WHERE incident_id = %(id)s ORDER BY created_at, id
"""

# Timeline of an incident, in the order it happened.
SELECT_TIMELINE = """
SELECT id, event_type, actor, detail, created_at FROM incident_timeline WHERE incident_id = %(id)s ORDER BY id
"""

# Add a note and its timeline event.
INSERT_NOTE = """
WITH note AS (
    INSERT INTO incident_notes (incident_id, author, content)
    VALUES (%(incident_id)s, %(author)s, %(content)s)
    RETURNING id, author, content, created_at
), event AS (
    INSERT INTO incident_timeline (incident_id, event_type, actor, detail)
    SELECT %(incident_id)s, 'note_added', author, jsonb_build_object('note_id', id) FROM note
)
SELECT * FROM note
"""

# Record something that happened to an incident.
INSERT_EVENT = """
INSERT INTO incident_timeline (incident_id, event_type, actor, detail)
VALUES (%(incident_id)s, %(event_type)s, %(actor)s, %(detail)s)
"""


def insert_incident(cur, incident, actor, detail=None):
    params = {
        "title": incident["title"],
        "description": incident.get("description"),
        "service": incident["service"],
        "severity": incident["severity"],
        "team": incident.get("team"),
        "assigned_to": incident.get("assigned_to"),
        "assigned_email": incident.get("assigned_email"),
        "group_key": incident.get("group_key"),
        "actor": actor,
        "detail": Json(detail or {}),
    }
    cur.execute(INSERT_INCIDENT, params)
    return cur.fetchone()


def get_incident(cur, incident_id, for_update=False):
    cur.execute(SELECT_INCIDENT_FOR_UPDATE if for_update else SELECT_INCIDENT, {"id": incident_id})
    return cur.fetchone()


def get_incident_alerts(cur, incident_id, limit):
    cur.execute(SELECT_INCIDENT_ALERTS, {"id": incident_id, "limit": limit})
    return cur.fetchall()


def get_notes(cur, incident_id):
    cur.execute(SELECT_NOTES, {"id": incident_id})
    return cur.fetchall()


def get_timeline(cur, incident_id):
    cur.execute(SELECT_TIMELINE, {"id": incident_id})
    return cur.fetchall()


def insert_note(cur, incident_id, author, content):
    cur.execute(INSERT_NOTE, {"incident_id": incident_id, "author": author, "content": content})
    return cur.fetchone()


def insert_event(cur, incident_id, event_type, actor=None, detail=None):
    cur.execute(
        INSERT_EVENT,
        {"incident_id": incident_id, "event_type": event_type, "actor": actor, "detail": Json(detail or {})},
    )


def update_incident(cur, incident_id, changes):
    """Set the given columns (names come from code, never from the request) and return the incident."""
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder(column)) for column in changes
    )
    statement = sql.SQL("UPDATE incidents SET {}, updated_at = now() WHERE id = %(id)s RETURNING {}").format(
        assignments, sql.SQL(INCIDENT_COLUMNS)
    )
    cur.execute(statement, {**changes, "id": incident_id})
    return cur.fetchone()
