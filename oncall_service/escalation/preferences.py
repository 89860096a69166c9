"""Paging preferences: the updates a paged person opts in to. SQL and its functions; the caller owns the transaction."""

from oncall_service.identity import repository as people
from servicekit.errors import NotFound

UPDATES = ("acknowledged", "resolved", "reassigned")

# A user's opt-ins (no row: none).
SELECT_PREFERENCES = "SELECT updates FROM paging_preferences WHERE user_id = %(user_id)s"

# Set a user's opt-ins.
UPSERT_PREFERENCES = """
INSERT INTO paging_preferences (user_id, updates) VALUES (%(user_id)s, %(updates)s)
ON CONFLICT (user_id) DO UPDATE SET updates = EXCLUDED.updates, updated_at = now()
"""

# The opt-ins of the active users with these e-mail addresses (any letter case).
SELECT_UPDATES_BY_EMAIL = """
SELECT lower(u.email) AS email, p.updates
FROM users u JOIN paging_preferences p ON p.user_id = u.id
WHERE lower(u.email) = ANY(%(emails)s) AND u.active
"""


def _user(cur, user_id):
    user = people.get_user(cur, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def get(cur, user_id):
    _user(cur, user_id)
    cur.execute(SELECT_PREFERENCES, {"user_id": user_id})
    row = cur.fetchone()
    return {"updates": list(row["updates"]) if row else []}


def put(cur, user_id, preferences):
    _user(cur, user_id)
    updates = [update for update in UPDATES if update in preferences["updates"]]
    cur.execute(UPSERT_PREFERENCES, {"user_id": user_id, "updates": updates})
    return {"updates": updates}


def updates_by_email(cur, emails):
    """{lower(email): [update, ...]} of the people who opted in to something."""
    if not emails:
        return {}
    cur.execute(SELECT_UPDATES_BY_EMAIL, {"emails": sorted({email.lower() for email in emails})})
    return {row["email"]: list(row["updates"]) for row in cur.fetchall()}
