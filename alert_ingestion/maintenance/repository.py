"""SQL of maintenance windows and suppressed alerts. Functions take a cursor and never commit."""

from servicekit.params import fetch_page

COLUMNS = """
    w.id, w.name, w.service, w.team, w.starts_at, w.ends_at, w.recurrence, w.time_zone, w.repeat_until, w.reason,
    w.created_by, w.created_at
"""
FIELDS = ("name", "service", "team", "starts_at", "ends_at", "recurrence", "time_zone", "repeat_until", "reason")

INSERT_WINDOW = f"""
INSERT INTO maintenance_windows AS w (name, service, team, starts_at, ends_at, recurrence, time_zone, repeat_until,
                                      reason, created_by)
VALUES (%(name)s, %(service)s, %(team)s, %(starts_at)s, %(ends_at)s, %(recurrence)s, %(time_zone)s,
        %(repeat_until)s, %(reason)s, %(created_by)s)
RETURNING {COLUMNS}
"""

SELECT_WINDOW = f"SELECT {COLUMNS} FROM maintenance_windows w WHERE w.id = %(id)s"

# A page of windows, latest first.
SELECT_WINDOWS_PAGE = f"""
SELECT {COLUMNS}, count(*) OVER () AS total
FROM maintenance_windows w
WHERE (%(service)s::text IS NULL OR w.service = %(service)s)
  AND (%(team)s::text IS NULL OR w.team = %(team)s)
ORDER BY w.starts_at DESC, w.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# The windows that may still be on (what each worker caches): one-off ones not over, and recurring ones
# not past their last repetition.
SELECT_CURRENT_WINDOWS = f"""
SELECT {COLUMNS}
FROM maintenance_windows w
WHERE (w.recurrence = 'none' AND w.ends_at > now())
   OR (w.recurrence <> 'none' AND (w.repeat_until IS NULL OR w.repeat_until > now() - interval '7 days'))
ORDER BY w.starts_at, w.id
"""

# Replace a window's fields (the view merges the change into the current ones).
UPDATE_WINDOW = f"""
UPDATE maintenance_windows w
SET name = %(name)s, service = %(service)s, team = %(team)s, starts_at = %(starts_at)s, ends_at = %(ends_at)s,
    recurrence = %(recurrence)s, time_zone = %(time_zone)s, repeat_until = %(repeat_until)s, reason = %(reason)s
WHERE w.id = %(id)s
RETURNING {COLUMNS}
"""

DELETE_WINDOW = "DELETE FROM maintenance_windows WHERE id = %(id)s RETURNING id"

# Store an alert a window suppresses: no outbox entry, so nobody is told.
INSERT_SUPPRESSED_ALERT = """
INSERT INTO alerts (service, severity, message, labels, links, images, source, dedup_key, occurred_at,
                    integration_key_id, status, suppressed_by)
VALUES (%(service)s, %(severity)s, %(message)s, %(labels)s, %(links)s, %(images)s, %(source)s, %(dedup_key)s,
        COALESCE(%(timestamp)s, now()), %(integration_key_id)s, 'suppressed', %(window_id)s)
RETURNING id
"""


def insert_window(cur, fields):
    cur.execute(INSERT_WINDOW, {name: fields.get(name) for name in (*FIELDS, "created_by")})
    return cur.fetchone()


def get_window(cur, window_id):
    cur.execute(SELECT_WINDOW, {"id": window_id})
    return cur.fetchone()


def list_windows(cur, filters, limit, offset):
    params = {"service": filters.get("service"), "team": filters.get("team"), "limit": limit, "offset": offset}
    cur.execute(SELECT_WINDOWS_PAGE, params)
    return fetch_page(cur)


def current_windows(cur):
    cur.execute(SELECT_CURRENT_WINDOWS)
    return cur.fetchall()


def update_window(cur, window_id, fields):
    cur.execute(UPDATE_WINDOW, {"id": window_id, **{name: fields.get(name) for name in FIELDS}})
    return cur.fetchone()


def delete_window(cur, window_id):
    cur.execute(DELETE_WINDOW, {"id": window_id})
    return cur.fetchone()


def insert_suppressed_alert(cur, params, window_id):
    """`params` are alert ingestion's insert parameters (repository.alert_params)."""
    cur.execute(INSERT_SUPPRESSED_ALERT, {**params, "window_id": window_id})
    return cur.fetchone()
