"""SQL of escalation policies and their steps. Functions take a cursor and never commit."""

from psycopg2.extras import Json

POLICY_COLUMNS = """
    p.id, p.team, p.name, p.repeat, p.is_default, p.from_schedule, p.created_at, p.updated_at,
    COALESCE((SELECT jsonb_agg(jsonb_build_object('delay_seconds', st.delay_seconds, 'targets', st.targets)
                               ORDER BY st.position)
              FROM escalation_policy_steps st WHERE st.policy_id = p.id), '[]'::jsonb) AS steps
"""

# Create a policy (its steps are written by INSERT_STEPS).
INSERT_POLICY = """
INSERT INTO escalation_policies (team, name, repeat, is_default, from_schedule)
VALUES (%(team)s, %(name)s, %(repeat)s, %(is_default)s, %(from_schedule)s)
RETURNING id
"""

# Forget a policy's steps (before writing the new list).
DELETE_STEPS = "DELETE FROM escalation_policy_steps WHERE policy_id = %(id)s"

# Write a policy's steps in the given order.
INSERT_STEPS = """
INSERT INTO escalation_policy_steps (policy_id, position, delay_seconds, targets)
SELECT %(id)s, s.position - 1, s.delay_seconds, s.targets
FROM ROWS FROM (jsonb_to_recordset(%(steps)s) AS (delay_seconds integer, targets jsonb))
     WITH ORDINALITY AS s(delay_seconds, targets, position)
"""

# One policy with its steps.
SELECT_POLICY = f"SELECT {POLICY_COLUMNS} FROM escalation_policies p WHERE p.id = %(id)s"

# A team's default policy, whatever the letter case of the name.
SELECT_DEFAULT_POLICY = f"""
SELECT {POLICY_COLUMNS} FROM escalation_policies p WHERE lower(p.team) = lower(%(team)s) AND p.is_default
"""

# The policy made from a schedule (the seed's two steps), if it is still there.
SELECT_POLICY_FROM_SCHEDULE = f"SELECT {POLICY_COLUMNS} FROM escalation_policies p WHERE p.from_schedule = %(id)s"

# Keep a schedule's own policy in step with the schedule: its team's name.
UPDATE_POLICY_TEAM = "UPDATE escalation_policies SET team = %(team)s, updated_at = now() WHERE id = %(id)s"


def insert_policy(cur, policy):
    params = {
        "team": policy["team"],
        "name": policy["name"],
        "repeat": policy.get("repeat", 0),
        "is_default": policy.get("is_default", False),
        "from_schedule": policy.get("from_schedule"),
    }
    cur.execute(INSERT_POLICY, params)
    policy_id = cur.fetchone()["id"]
    replace_steps(cur, policy_id, policy["steps"])
    return get_policy(cur, policy_id)


def replace_steps(cur, policy_id, steps):
    rows = [{"delay_seconds": step["delay_seconds"], "targets": step["targets"]} for step in steps]
    cur.execute(DELETE_STEPS, {"id": policy_id})
    cur.execute(INSERT_STEPS, {"id": policy_id, "steps": Json(rows)})


def get_policy(cur, policy_id):
    cur.execute(SELECT_POLICY, {"id": policy_id})
    return cur.fetchone()


def default_policy(cur, team):
    cur.execute(SELECT_DEFAULT_POLICY, {"team": team})
    return cur.fetchone()


def policy_from_schedule(cur, schedule_id):
    cur.execute(SELECT_POLICY_FROM_SCHEDULE, {"id": schedule_id})
    return cur.fetchone()


def rename_team(cur, policy_id, team):
    cur.execute(UPDATE_POLICY_TEAM, {"id": policy_id, "team": team})
