"""SQL of grouping: the rules per service and the alerts held below a rule's threshold.

Functions take a cursor and never commit.
"""

from psycopg2.extras import Json

RULE_COLUMNS = "service, group_by, threshold, updated_by, created_at, updated_at"

# Every rule (few: one per service at most), for the per-worker cache and the list.
SELECT_RULES = f"SELECT {RULE_COLUMNS} FROM grouping_rules ORDER BY service"

# One service's rule.
SELECT_RULE = f"SELECT {RULE_COLUMNS} FROM grouping_rules WHERE service = %(service)s"

# Create or replace a service's rule.
UPSERT_RULE = f"""
INSERT INTO grouping_rules (service, group_by, threshold, updated_by)
VALUES (%(service)s, %(group_by)s, %(threshold)s, %(updated_by)s)
ON CONFLICT (service) DO UPDATE
SET group_by = EXCLUDED.group_by, threshold = EXCLUDED.threshold, updated_by = EXCLUDED.updated_by,
    updated_at = now()
RETURNING {RULE_COLUMNS}
"""

# Remove a service's rule: its alerts group by the default again.
DELETE_RULE = "DELETE FROM grouping_rules WHERE service = %(service)s RETURNING service"

# Hold an alert (a repeated delivery finds it held already), then read its group's held alerts within the
# window, oldest first. Runs under the group's correlation lock, so the count cannot race.
HOLD_ALERT = """
WITH held AS (
    INSERT INTO held_alerts (alert_id, service, severity, group_key, alert, held_at)
    VALUES (%(alert_id)s, %(service)s, %(severity)s, %(group_key)s, %(alert)s, %(now)s)
    ON CONFLICT (alert_id) DO NOTHING
    RETURNING alert_id, alert, held_at
)
SELECT alert_id, alert, held_at FROM held
UNION ALL
SELECT alert_id, alert, held_at FROM held_alerts
WHERE service = %(service)s AND severity = %(severity)s AND group_key = %(group_key)s
  AND held_at >= %(now)s - make_interval(secs => %(window)s) AND alert_id <> %(alert_id)s
ORDER BY held_at, alert_id
"""

# The group opened its incident: its held alerts are attached now and leave the hold.
RELEASE_ALERTS = "DELETE FROM held_alerts WHERE alert_id = ANY(%(alert_ids)s::uuid[])"


def list_rules(cur):
    cur.execute(SELECT_RULES)
    return cur.fetchall()


def get_rule(cur, service):
    cur.execute(SELECT_RULE, {"service": service})
    return cur.fetchone()


def put_rule(cur, service, group_by, threshold, updated_by):
    params = {"service": service, "group_by": list(group_by), "threshold": threshold, "updated_by": updated_by}
    cur.execute(UPSERT_RULE, params)
    return cur.fetchone()


def delete_rule(cur, service):
    cur.execute(DELETE_RULE, {"service": service})
    return cur.fetchone() is not None


def hold(cur, alert, group_key, now, window_seconds):
    """Hold the alert; returns the group's held alerts within the window (this one included), oldest first."""
    params = {
        "alert_id": alert["alert_id"],
        "service": alert["service"],
        "severity": alert["severity"],
        "group_key": group_key,
        "alert": Json(_stored(alert)),
        "now": now,
        "window": window_seconds,
    }
    cur.execute(HOLD_ALERT, params)
    return cur.fetchall()


def release(cur, alert_ids):
    cur.execute(RELEASE_ALERTS, {"alert_ids": [str(alert_id) for alert_id in alert_ids]})


def _stored(alert):
    """The alert as JSON (times as ISO 8601 text), to attach it later as if it had just arrived."""
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else str(value) if key == "alert_id" else value
        for key, value in alert.items()
    }
