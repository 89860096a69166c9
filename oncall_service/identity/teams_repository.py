"""SQL of teams and their members.

Functions take a cursor and never commit: the caller owns the transaction.
"""

from servicekit.params import fetch_page

TEAM_COLUMNS = """
    t.id, t.name, t.description, t.active, t.created_at, t.updated_at,
    COALESCE((SELECT jsonb_agg(jsonb_build_object('user_id', u.id, 'name', u.name, 'email', u.email,
                                                  'role', u.role, 'active', u.active)
                               ORDER BY lower(u.name), u.id)
              FROM team_members tm JOIN users u ON u.id = tm.user_id
              WHERE tm.team_id = t.id), '[]'::jsonb) AS members
"""

# Create a team (its members are written by INSERT_TEAM_MEMBERS).
INSERT_TEAM = """
INSERT INTO teams (name, description)
VALUES (%(name)s, %(description)s)
RETURNING id
"""

# One team with its members; the FOR UPDATE variant serialises changes to it.
SELECT_TEAM = f"SELECT {TEAM_COLUMNS} FROM teams t WHERE t.id = %(id)s"
SELECT_TEAM_FOR_UPDATE = SELECT_TEAM + " FOR UPDATE OF t"

# A page of teams by name, filtered by active flag and by a member.
SELECT_TEAMS_PAGE = f"""
SELECT {TEAM_COLUMNS}, count(*) OVER () AS total
FROM teams t
WHERE (%(active)s::boolean IS NULL OR t.active = %(active)s)
  AND (%(name)s::text IS NULL OR lower(t.name) = lower(%(name)s))
  AND (%(user_id)s::uuid IS NULL
       OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = t.id AND tm.user_id = %(user_id)s))
ORDER BY lower(t.name), t.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# Change a team's fields (every one given: the caller merged the old values in).
UPDATE_TEAM = """
UPDATE teams SET name = %(name)s, description = %(description)s, active = %(active)s, updated_at = now()
WHERE id = %(id)s
"""

# Forget a team's members (before writing the new list).
DELETE_TEAM_MEMBERS = "DELETE FROM team_members WHERE team_id = %(id)s"

# Write a team's members.
INSERT_TEAM_MEMBERS = """
INSERT INTO team_members (team_id, user_id)
SELECT %(id)s, unnest(%(user_ids)s::uuid[])
ON CONFLICT DO NOTHING
"""

# Which of some user ids exist.
SELECT_EXISTING_USERS = "SELECT id FROM users WHERE id = ANY(%(user_ids)s::uuid[])"


def insert_team(cur, team):
    cur.execute(INSERT_TEAM, {"description": None, **team})
    team_id = cur.fetchone()["id"]
    replace_members(cur, team_id, team.get("members", []))
    return get_team(cur, team_id)


def get_team(cur, team_id, for_update=False):
    cur.execute(SELECT_TEAM_FOR_UPDATE if for_update else SELECT_TEAM, {"id": team_id})
    return cur.fetchone()


def list_teams(cur, filters, limit, offset):
    """Return (teams, total) for one page."""
    params = {key: filters.get(key) for key in ("active", "name", "user_id")}
    cur.execute(SELECT_TEAMS_PAGE, {**params, "limit": limit, "offset": offset})
    return fetch_page(cur)


def update_team(cur, team_id, team):
    cur.execute(UPDATE_TEAM, {**team, "id": team_id})
    if "members" in team:
        replace_members(cur, team_id, team["members"])
    return get_team(cur, team_id)


def replace_members(cur, team_id, user_ids):
    cur.execute(DELETE_TEAM_MEMBERS, {"id": team_id})
    if user_ids:
        cur.execute(INSERT_TEAM_MEMBERS, {"id": team_id, "user_ids": [str(u) for u in user_ids]})


def missing_users(cur, user_ids):
    """The ids among `user_ids` that name no user."""
    cur.execute(SELECT_EXISTING_USERS, {"user_ids": [str(u) for u in user_ids]})
    existing = {row["id"] for row in cur.fetchall()}
    return [user_id for user_id in user_ids if user_id not in existing]
