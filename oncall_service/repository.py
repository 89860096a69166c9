"""SQL of the on-call service: schedules, their members and overrides (who refer to users).

Functions take a cursor and never commit: the caller owns the transaction.
"""

from psycopg2.extras import Json

from oncall_service.identity import repository as people_repository
from servicekit.params import fetch_page

SCHEDULE_COLUMNS = """
    s.id, s.team, s.rotation_type, s.timezone, s.handoff_time, s.rotation_start,
    s.escalation_timeout_seconds, s.created_at, s.updated_at,
    COALESCE((SELECT jsonb_agg(jsonb_build_object('name', u.name, 'email', u.email, 'role', m.role,
                                                  'user_id', m.user_id)
                               ORDER BY m.position)
              FROM schedule_members m JOIN users u ON u.id = m.user_id
              WHERE m.schedule_id = s.id), '[]'::jsonb) AS members
"""

# Create a schedule (its members are written by INSERT_MEMBERS).
INSERT_SCHEDULE = """
INSERT INTO schedules (team, rotation_type, timezone, handoff_time, rotation_start, escalation_timeout_seconds)
VALUES (%(team)s, %(rotation_type)s, %(timezone)s, %(handoff_time)s, %(rotation_start)s,
        %(escalation_timeout_seconds)s)
RETURNING id
"""

# Change every field of a schedule.
UPDATE_SCHEDULE = """
UPDATE schedules
SET team = %(team)s, rotation_type = %(rotation_type)s, timezone = %(timezone)s, handoff_time = %(handoff_time)s,
    rotation_start = %(rotation_start)s, escalation_timeout_seconds = %(escalation_timeout_seconds)s,
    updated_at = now()
WHERE id = %(id)s
"""

# Forget a schedule's members (before writing the new list).
DELETE_MEMBERS = "DELETE FROM schedule_members WHERE schedule_id = %(id)s"

# Write a schedule's members (each refers to its user), keeping the given order as rotation order.
INSERT_MEMBERS = """
INSERT INTO schedule_members (schedule_id, position, name, email, role, user_id)
SELECT %(id)s, m.position - 1, m.name, m.email, m.role, m.user_id
FROM ROWS FROM (jsonb_to_recordset(%(members)s) AS (name text, email text, role text, user_id uuid))
     WITH ORDINALITY AS m(name, email, role, user_id, position)
"""

# One schedule with its members; the FOR UPDATE variant serialises changes to it.
SELECT_SCHEDULE = f"SELECT {SCHEDULE_COLUMNS} FROM schedules s WHERE s.id = %(id)s"
SELECT_SCHEDULE_FOR_UPDATE = SELECT_SCHEDULE + " FOR UPDATE"

# The schedule of a team, whatever the letter case of the name.
SELECT_SCHEDULE_BY_TEAM = f"SELECT {SCHEDULE_COLUMNS} FROM schedules s WHERE lower(s.team) = lower(%(team)s)"


# Every schedule (the escalation timer goes through each team).
SELECT_ALL_SCHEDULES = f"SELECT {SCHEDULE_COLUMNS} FROM schedules s ORDER BY lower(s.team)"

# A page of schedules by team name, with the total.
SELECT_SCHEDULES_PAGE = f"""
SELECT {SCHEDULE_COLUMNS}, count(*) OVER () AS total
FROM schedules s
WHERE (%(team)s::text IS NULL OR lower(s.team) = lower(%(team)s))
ORDER BY lower(s.team), s.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# Remove a schedule (members and overrides go with it).
DELETE_SCHEDULE = "DELETE FROM schedules WHERE id = %(id)s RETURNING id"

# An override names its user; the name and e-mail shown are the user's.
OVERRIDE_COLUMNS = """
    o.id, o.schedule_id, o.role, u.name, u.email, o.user_id, o.start_at AS start, o.end_at AS end, o.created_at
"""

# Someone covers a role for a time range.
INSERT_OVERRIDE = """
INSERT INTO schedule_overrides (schedule_id, role, name, email, user_id, start_at, end_at)
VALUES (%(schedule_id)s, %(role)s, %(name)s, %(email)s, %(user_id)s, %(start)s, %(end)s)
RETURNING id
"""

# One override with its user.
SELECT_OVERRIDE = (
    f"SELECT {OVERRIDE_COLUMNS} FROM schedule_overrides o JOIN users u ON u.id = o.user_id WHERE o.id = %(id)s"
)

# A page of a schedule's overrides, earliest first.
SELECT_OVERRIDES_PAGE = f"""
SELECT {OVERRIDE_COLUMNS}, count(*) OVER () AS total
FROM schedule_overrides o JOIN users u ON u.id = o.user_id
WHERE o.schedule_id = %(schedule_id)s AND (%(ending_after)s::timestamptz IS NULL OR o.end_at > %(ending_after)s)
ORDER BY o.start_at, o.created_at
LIMIT %(limit)s OFFSET %(offset)s
"""

# Overrides of some schedules that overlap [since, until): what the rotation arithmetic needs.
SELECT_OVERRIDES_OVERLAPPING = f"""
SELECT {OVERRIDE_COLUMNS}
FROM schedule_overrides o JOIN users u ON u.id = o.user_id
WHERE o.schedule_id = ANY(%(schedule_ids)s) AND o.start_at < %(until)s AND o.end_at > %(since)s
ORDER BY o.created_at
"""

# Remove one override of a schedule.
DELETE_OVERRIDE = "DELETE FROM schedule_overrides WHERE id = %(id)s AND schedule_id = %(schedule_id)s RETURNING id"


def _schedule_params(schedule):
    return {
        key: schedule[key]
        for key in ("team", "rotation_type", "timezone", "handoff_time", "rotation_start", "escalation_timeout_seconds")
    }


def insert_schedule(cur, schedule):
    cur.execute(INSERT_SCHEDULE, _schedule_params(schedule))
    schedule_id = cur.fetchone()["id"]
    replace_members(cur, schedule_id, schedule["members"])
    return get_schedule(cur, schedule_id)


def update_schedule(cur, schedule_id, schedule):
    cur.execute(UPDATE_SCHEDULE, {**_schedule_params(schedule), "id": schedule_id})
    replace_members(cur, schedule_id, schedule["members"])
    return get_schedule(cur, schedule_id)


def replace_members(cur, schedule_id, members):
    user_ids = people_repository.user_ids_of(cur, members)
    rows = [
        {"name": m["name"], "email": m["email"], "role": m["role"], "user_id": str(user_ids[m["email"].lower()])}
        for m in members
    ]
    cur.execute(DELETE_MEMBERS, {"id": schedule_id})
    cur.execute(INSERT_MEMBERS, {"id": schedule_id, "members": Json(rows)})


def get_schedule(cur, schedule_id, for_update=False):
    cur.execute(SELECT_SCHEDULE_FOR_UPDATE if for_update else SELECT_SCHEDULE, {"id": schedule_id})
    return cur.fetchone()


def get_schedule_by_team(cur, team):
    cur.execute(SELECT_SCHEDULE_BY_TEAM, {"team": team})
    return cur.fetchone()


def all_schedules(cur):
    cur.execute(SELECT_ALL_SCHEDULES)
    return cur.fetchall()


def list_schedules(cur, team, limit, offset):
    """Return (schedules, total) for one page."""
    cur.execute(SELECT_SCHEDULES_PAGE, {"team": team, "limit": limit, "offset": offset})
    return fetch_page(cur)


def delete_schedule(cur, schedule_id):
    cur.execute(DELETE_SCHEDULE, {"id": schedule_id})
    return cur.fetchone() is not None


def insert_override(cur, schedule_id, override):
    (user_id,) = people_repository.user_ids_of(cur, [override]).values()
    cur.execute(INSERT_OVERRIDE, {**override, "schedule_id": schedule_id, "user_id": user_id})
    cur.execute(SELECT_OVERRIDE, {"id": cur.fetchone()["id"]})
    return cur.fetchone()


def list_overrides(cur, schedule_id, ending_after, limit, offset):
    """Return (overrides, total) for one page."""
    params = {"schedule_id": schedule_id, "ending_after": ending_after, "limit": limit, "offset": offset}
    cur.execute(SELECT_OVERRIDES_PAGE, params)
    return fetch_page(cur)


def overrides_overlapping(cur, schedule_ids, since, until):
    cur.execute(SELECT_OVERRIDES_OVERLAPPING, {"schedule_ids": list(schedule_ids), "since": since, "until": until})
    return cur.fetchall()


def delete_override(cur, schedule_id, override_id):
    cur.execute(DELETE_OVERRIDE, {"id": override_id, "schedule_id": schedule_id})
    return cur.fetchone() is not None
