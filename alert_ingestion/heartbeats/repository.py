"""SQL of heartbeat monitors. Functions take a cursor and never commit."""

from servicekit.params import fetch_page

COLUMNS = """
    h.id, h.name, h.service, h.team, h.severity, h.interval_seconds, h.grace_seconds, h.integration_key_id,
    h.paused, h.last_ping_at, h.due_at, h.overdue, h.overdue_since, h.created_at,
    CASE WHEN h.paused THEN 'paused' WHEN h.overdue THEN 'overdue' WHEN h.last_ping_at IS NULL THEN 'new' ELSE 'up'
    END AS status
"""
CHANGEABLE = ("name", "service", "team", "severity", "interval_seconds", "grace_seconds", "integration_key_id")

# A new monitor: it waits for its first ping (due_at NULL).
INSERT_HEARTBEAT = f"""
INSERT INTO heartbeats AS h (name, service, team, severity, interval_seconds, grace_seconds, integration_key_id,
                             paused)
VALUES (%(name)s, %(service)s, %(team)s, %(severity)s, %(interval_seconds)s, %(grace_seconds)s,
        %(integration_key_id)s, %(paused)s)
RETURNING {COLUMNS}
"""

# One monitor.
SELECT_HEARTBEAT = f"SELECT {COLUMNS} FROM heartbeats h WHERE h.id = %(id)s"

# A page of monitors, overdue first, then by name.
SELECT_HEARTBEATS_PAGE = f"""
SELECT {COLUMNS}, count(*) OVER () AS total
FROM heartbeats h
WHERE (%(overdue)s::boolean IS NULL OR h.overdue = %(overdue)s)
ORDER BY h.overdue DESC, h.name
LIMIT %(limit)s OFFSET %(offset)s
"""

# Change a monitor; its due time follows a new interval or grace, and a monitor taken out of its pause starts
# a fresh interval (its source was not expected to ping while paused).
UPDATE_HEARTBEAT = f"""
UPDATE heartbeats h
SET name = COALESCE(%(name)s, h.name),
    service = COALESCE(%(service)s, h.service),
    team = CASE WHEN %(set_team)s THEN %(team)s ELSE h.team END,
    severity = COALESCE(%(severity)s, h.severity),
    interval_seconds = COALESCE(%(interval_seconds)s, h.interval_seconds),
    grace_seconds = COALESCE(%(grace_seconds)s, h.grace_seconds),
    integration_key_id = CASE WHEN %(set_integration_key_id)s THEN %(integration_key_id)s
                              ELSE h.integration_key_id END,
    paused = COALESCE(%(paused)s, h.paused),
    due_at = CASE
        WHEN h.last_ping_at IS NULL THEN NULL
        WHEN h.paused AND NOT COALESCE(%(paused)s, true) THEN now()
        ELSE h.last_ping_at
    END + make_interval(secs => COALESCE(%(interval_seconds)s, h.interval_seconds)
                               + COALESCE(%(grace_seconds)s, h.grace_seconds))
WHERE h.id = %(id)s
RETURNING {COLUMNS}
"""

DELETE_HEARTBEAT = "DELETE FROM heartbeats WHERE id = %(id)s RETURNING id"

# A ping, when the monitor takes it (no key of its own, or that key): the next one is due an interval and a
# grace period from now; returns the monitor and whether it was overdue until now.
RECORD_PING = f"""
WITH before AS (
    SELECT id, overdue FROM heartbeats
    WHERE id = %(id)s AND (integration_key_id IS NULL OR integration_key_id = %(integration_key_id)s)
    FOR UPDATE
)
UPDATE heartbeats h
SET last_ping_at = now(), due_at = now() + make_interval(secs => h.interval_seconds + h.grace_seconds),
    overdue = false, overdue_since = NULL
FROM before
WHERE h.id = before.id
RETURNING {COLUMNS}, before.overdue AS was_overdue
"""

# Monitors whose ping is late and not marked overdue yet (what a maintenance window may hold back).
SELECT_LATE = "SELECT id, service, team FROM heartbeats WHERE due_at <= now() AND NOT overdue AND NOT paused"

# Monitors whose ping is overdue, locked so that no other worker or replica takes them, marked overdue once;
# those held back by a maintenance window stay late, and are claimed once it ends if no ping came.
CLAIM_OVERDUE = f"""
WITH due AS (
    SELECT id FROM heartbeats
    WHERE due_at <= now() AND NOT overdue AND NOT paused AND NOT id = ANY(%(held)s::uuid[])
    ORDER BY due_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE heartbeats h SET overdue = true, overdue_since = now()
FROM due
WHERE h.id = due.id
RETURNING {COLUMNS}
"""


def insert_heartbeat(cur, fields):
    params = {name: fields.get(name) for name in CHANGEABLE}
    params["severity"] = fields.get("severity") or "critical"
    params["grace_seconds"] = fields.get("grace_seconds", 60)
    params["paused"] = fields.get("paused", False)
    cur.execute(INSERT_HEARTBEAT, params)
    return cur.fetchone()


def get_heartbeat(cur, heartbeat_id):
    cur.execute(SELECT_HEARTBEAT, {"id": heartbeat_id})
    return cur.fetchone()


def list_heartbeats(cur, overdue, limit, offset):
    cur.execute(SELECT_HEARTBEATS_PAGE, {"overdue": overdue, "limit": limit, "offset": offset})
    return fetch_page(cur)


def update_heartbeat(cur, heartbeat_id, changes):
    params = {"id": heartbeat_id, "paused": changes.get("paused")}
    for name in CHANGEABLE:
        params[name] = changes.get(name)
    for name in ("team", "integration_key_id"):
        params[f"set_{name}"] = name in changes
    cur.execute(UPDATE_HEARTBEAT, params)
    return cur.fetchone()


def delete_heartbeat(cur, heartbeat_id):
    cur.execute(DELETE_HEARTBEAT, {"id": heartbeat_id})
    return cur.fetchone()


def record_ping(cur, heartbeat_id, integration_key_id):
    """The monitor after the ping, with `was_overdue`; None when it is unknown or takes another key."""
    cur.execute(RECORD_PING, {"id": heartbeat_id, "integration_key_id": integration_key_id})
    return cur.fetchone()


def late_monitors(cur):
    cur.execute(SELECT_LATE)
    return cur.fetchall()


def claim_overdue(cur, limit, held=()):
    cur.execute(CLAIM_OVERDUE, {"limit": limit, "held": [str(heartbeat_id) for heartbeat_id in held]})
    return cur.fetchall()
