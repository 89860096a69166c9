"""SQL of paging targets: the verified contact methods of the person a page is for, with their real addresses."""

# The active user with this e-mail (any letter case).
SELECT_ACTIVE_USER_BY_EMAIL = "SELECT id, name, email FROM users WHERE lower(email) = lower(%(email)s) AND active"

# A user's verified contact methods, oldest first (the order they are paged in).
SELECT_VERIFIED_METHODS = """
SELECT id, type, address, label FROM contact_methods
WHERE user_id = %(user_id)s AND verified_at IS NOT NULL
ORDER BY created_at, id
"""


def for_email(cur, email):
    """{user_id, name, email, methods} for the active user with `email`, or None."""
    cur.execute(SELECT_ACTIVE_USER_BY_EMAIL, {"email": email})
    user = cur.fetchone()
    if user is None:
        return None
    cur.execute(SELECT_VERIFIED_METHODS, {"user_id": user["id"]})
    return {"user_id": user["id"], "name": user["name"], "email": user["email"], "methods": cur.fetchall()}
