"""SQL of users: the records, and matching the people schedules name to them.

Functions take a cursor and never commit: the caller owns the transaction.
"""

from psycopg2.extras import Json

from servicekit.params import fetch_page

USER_COLUMNS = "u.id, u.name, u.email, u.timezone, u.role, u.active, u.created_at, u.updated_at"

# Create a user (the unique e-mail index refuses a second one).
INSERT_USER = f"""
INSERT INTO users AS u (name, email, timezone, role)
VALUES (%(name)s, %(email)s, %(timezone)s, %(role)s)
RETURNING {USER_COLUMNS}
"""

# One user by id; the FOR UPDATE variant serialises changes to it.
SELECT_USER = f"SELECT {USER_COLUMNS} FROM users u WHERE u.id = %(id)s"
SELECT_USER_FOR_UPDATE = SELECT_USER + " FOR UPDATE"

# One user by e-mail, whatever its letter case.
SELECT_USER_BY_EMAIL = f"SELECT {USER_COLUMNS} FROM users u WHERE lower(u.email) = lower(%(email)s)"

# A page of users by name, filtered by role, active flag, team and a text that name or e-mail contains.
SELECT_USERS_PAGE = f"""
SELECT {USER_COLUMNS}, count(*) OVER () AS total
FROM users u
WHERE (%(role)s::text IS NULL OR u.role = %(role)s)
  AND (%(active)s::boolean IS NULL OR u.active = %(active)s)
  AND (%(email)s::text IS NULL OR lower(u.email) = lower(%(email)s))
  AND (%(search)s::text IS NULL OR strpos(lower(u.name || ' ' || u.email), lower(%(search)s)) > 0)
  AND (%(team_id)s::uuid IS NULL
       OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = %(team_id)s AND tm.user_id = u.id))
ORDER BY lower(u.name), u.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# Change a user's fields (every one given: the caller merged the old values in).
UPDATE_USER = f"""
UPDATE users AS u
SET name = %(name)s, email = %(email)s, timezone = %(timezone)s, role = %(role)s, active = %(active)s,
    updated_at = now()
WHERE u.id = %(id)s
RETURNING {USER_COLUMNS}
"""

# The people a schedule names become users when their e-mail is new (responders: they are on call).
INSERT_PEOPLE = """
INSERT INTO users (name, email)
SELECT DISTINCT ON (lower(p.email)) p.name, p.email
FROM jsonb_to_recordset(%(people)s) AS p(name text, email text)
ORDER BY lower(p.email)
ON CONFLICT DO NOTHING
"""

# The user of each e-mail address among some people.
SELECT_PEOPLE_IDS = """
SELECT lower(u.email) AS email, u.id
FROM users u
WHERE lower(u.email) = ANY(%(emails)s)
"""


def insert_user(cur, user):
    cur.execute(INSERT_USER, user)
    return cur.fetchone()


def get_user(cur, user_id, for_update=False):
    cur.execute(SELECT_USER_FOR_UPDATE if for_update else SELECT_USER, {"id": user_id})
    return cur.fetchone()


def get_user_by_email(cur, email):
    cur.execute(SELECT_USER_BY_EMAIL, {"email": email})
    return cur.fetchone()


def list_users(cur, filters, limit, offset):
    """Return (users, total) for one page."""
    params = {key: filters.get(key) for key in ("role", "active", "email", "search", "team_id")}
    cur.execute(SELECT_USERS_PAGE, {**params, "limit": limit, "offset": offset})
    return fetch_page(cur)


def update_user(cur, user_id, user):
    cur.execute(UPDATE_USER, {**user, "id": user_id})
    return cur.fetchone()


def user_ids_of(cur, people):
    """{lower(email): user id} for people [{name, email}], creating the users that do not exist yet."""
    if not people:
        return {}
    rows = [{"name": person["name"], "email": person["email"]} for person in people]
    cur.execute(INSERT_PEOPLE, {"people": Json(rows)})
    cur.execute(SELECT_PEOPLE_IDS, {"emails": sorted({row["email"].lower() for row in rows})})
    return {row["email"]: row["id"] for row in cur.fetchall()}
