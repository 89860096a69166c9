"""SQL of escalation policies, their steps, and service routes. Functions take a cursor and never commit."""

from psycopg2.extras import Json

from servicekit.params import fetch_page

POLICY_COLUMNS = """
    p.id, p.team, p.name, p.repeat, p.is_default, p.from_schedule, p.working_hours, p.created_at, p.updated_at,
    COALESCE((SELECT jsonb_agg(jsonb_build_object('delay_seconds', st.delay_seconds, 'targets', st.targets)
                               ORDER BY st.position)
              FROM escalation_policy_steps st WHERE st.policy_id = p.id), '[]'::jsonb) AS steps
"""

# Create a policy (its steps are written by INSERT_STEPS).
INSERT_POLICY = """
INSERT INTO escalation_policies (team, name, repeat, is_default, from_schedule, working_hours)
VALUES (%(team)s, %(name)s, %(repeat)s, %(is_default)s, %(from_schedule)s, %(working_hours)s)
RETURNING id
"""

# Change a policy by hand: it no longer follows the schedule it was made from.
UPDATE_POLICY = """
UPDATE escalation_policies
SET name = %(name)s, repeat = %(repeat)s, is_default = %(is_default)s, working_hours = %(working_hours)s,
    from_schedule = NULL, updated_at = now()
WHERE id = %(id)s
"""

# The team's default policy stops being the default (another one takes over in the same transaction).
UNSET_DEFAULT = """
UPDATE escalation_policies SET is_default = false, updated_at = now()
WHERE lower(team) = lower(%(team)s) AND is_default AND id <> %(id)s
"""

# A page of policies by team, with the total.
SELECT_POLICIES_PAGE = f"""
SELECT {POLICY_COLUMNS}, count(*) OVER () AS total
FROM escalation_policies p
WHERE (%(team)s::text IS NULL OR lower(p.team) = lower(%(team)s))
ORDER BY lower(p.team), NOT p.is_default, lower(p.name), p.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# One policy with its steps, locked against concurrent changes.
SELECT_POLICY_FOR_UPDATE = "SELECT id, team, is_default FROM escalation_policies WHERE id = %(id)s FOR UPDATE"

# Remove a policy (its steps go with it; routes naming it fall back to the team's default).
DELETE_POLICY = "DELETE FROM escalation_policies WHERE id = %(id)s RETURNING id"

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
        "working_hours": Json(policy["working_hours"]) if policy.get("working_hours") else None,
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


def update_policy(cur, policy_id, policy):
    params = {
        "id": policy_id,
        "name": policy["name"],
        "repeat": policy.get("repeat", 0),
        "is_default": policy.get("is_default", False),
        "working_hours": Json(policy["working_hours"]) if policy.get("working_hours") else None,
    }
    cur.execute(UPDATE_POLICY, params)
    replace_steps(cur, policy_id, policy["steps"])
    return get_policy(cur, policy_id)


def unset_other_defaults(cur, team, policy_id):
    cur.execute(UNSET_DEFAULT, {"team": team, "id": policy_id})


def lock_policy(cur, policy_id):
    cur.execute(SELECT_POLICY_FOR_UPDATE, {"id": policy_id})
    return cur.fetchone()


def list_policies(cur, team, limit, offset):
    """Return (policies, total) for one page."""
    cur.execute(SELECT_POLICIES_PAGE, {"team": team, "limit": limit, "offset": offset})
    return fetch_page(cur)


def delete_policy(cur, policy_id):
    cur.execute(DELETE_POLICY, {"id": policy_id})
    return cur.fetchone() is not None


# The active members of a team (the people's record: teams and team_members), by the team's name.
SELECT_TEAM_MEMBERS = """
SELECT u.id, u.name, u.email
FROM teams t JOIN team_members tm ON tm.team_id = t.id JOIN users u ON u.id = tm.user_id
WHERE lower(t.name) = lower(%(team)s) AND t.active AND u.active
ORDER BY lower(u.name), u.id
"""

# An active user, for a target that names one.
SELECT_ACTIVE_USER = "SELECT id, name, email FROM users WHERE id = %(id)s AND active"


def team_members(cur, team):
    cur.execute(SELECT_TEAM_MEMBERS, {"team": team})
    return cur.fetchall()


def active_user(cur, user_id):
    cur.execute(SELECT_ACTIVE_USER, {"id": user_id})
    return cur.fetchone()


ROUTE_COLUMNS = """
    r.id, r.service, r.team, r.policy_id, r.urgency, r.created_at, r.updated_at,
    CASE WHEN p.id IS NULL THEN NULL ELSE jsonb_build_object('id', p.id, 'name', p.name) END AS policy
"""

# Map a service to a team (and optionally a policy of that team).
INSERT_ROUTE = """
INSERT INTO service_routes (service, team, policy_id, urgency)
VALUES (%(service)s, %(team)s, %(policy_id)s, %(urgency)s)
RETURNING id
"""

# Change every field of a route.
UPDATE_ROUTE = """
UPDATE service_routes
SET service = %(service)s, team = %(team)s, policy_id = %(policy_id)s, urgency = %(urgency)s, updated_at = now()
WHERE id = %(id)s
"""

# One route, with its policy's name.
SELECT_ROUTE = f"""
SELECT {ROUTE_COLUMNS} FROM service_routes r LEFT JOIN escalation_policies p ON p.id = r.policy_id
WHERE r.id = %(id)s
"""

# The route of a service, whatever the letter case.
SELECT_ROUTE_BY_SERVICE = f"""
SELECT {ROUTE_COLUMNS} FROM service_routes r LEFT JOIN escalation_policies p ON p.id = r.policy_id
WHERE lower(r.service) = lower(%(service)s)
"""

# A page of routes by team, with the total.
SELECT_ROUTES_PAGE = f"""
SELECT {ROUTE_COLUMNS}, count(*) OVER () AS total
FROM service_routes r LEFT JOIN escalation_policies p ON p.id = r.policy_id
WHERE (%(team)s::text IS NULL OR lower(r.team) = lower(%(team)s))
ORDER BY lower(r.service), r.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# Remove a route (the service then follows its incidents' team's default policy).
DELETE_ROUTE = "DELETE FROM service_routes WHERE id = %(id)s RETURNING id"


def _params(route):
    return {
        "service": route["service"],
        "team": route["team"],
        "policy_id": route.get("policy_id"),
        "urgency": Json(route.get("urgency") or {}),
    }


def insert_route(cur, route):
    cur.execute(INSERT_ROUTE, _params(route))
    return get_route(cur, cur.fetchone()["id"])


def update_route(cur, route_id, route):
    cur.execute(UPDATE_ROUTE, {**_params(route), "id": route_id})
    return get_route(cur, route_id)


def get_route(cur, route_id):
    cur.execute(SELECT_ROUTE, {"id": route_id})
    return cur.fetchone()


def route_of_service(cur, service):
    cur.execute(SELECT_ROUTE_BY_SERVICE, {"service": service})
    return cur.fetchone()


def list_routes(cur, team, limit, offset):
    """Return (routes, total) for one page."""
    cur.execute(SELECT_ROUTES_PAGE, {"team": team, "limit": limit, "offset": offset})
    return fetch_page(cur)


def delete_route(cur, route_id):
    cur.execute(DELETE_ROUTE, {"id": route_id})
    return cur.fetchone() is not None
