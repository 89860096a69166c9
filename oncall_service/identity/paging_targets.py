"""SQL of paging targets: the deliveries a page to a person makes (their verified contact methods, each after
its notification rule's delay), with the real addresses."""

from oncall_service.identity import notification_rules
from oncall_service.identity import notification_rules_repository as rules_repository

# The active user with this e-mail (any letter case).
SELECT_ACTIVE_USER_BY_EMAIL = "SELECT id, name, email FROM users WHERE lower(email) = lower(%(email)s) AND active"

# A user's verified contact methods, oldest first (the order they are paged in).
SELECT_VERIFIED_METHODS = """
SELECT id, type, address, label FROM contact_methods
WHERE user_id = %(user_id)s AND verified_at IS NOT NULL
ORDER BY created_at, id
"""


def for_email(cur, email):
    """{user_id, name, email, methods} for the active user with `email`, or None; methods carry delay_seconds."""
    cur.execute(SELECT_ACTIVE_USER_BY_EMAIL, {"email": email})
    user = cur.fetchone()
    if user is None:
        return None
    cur.execute(SELECT_VERIFIED_METHODS, {"user_id": user["id"]})
    methods = cur.fetchall()
    deliveries = notification_rules.deliveries(rules_repository.rule_times(cur, user["id"]), methods)
    return {"user_id": user["id"], "name": user["name"], "email": user["email"], "methods": deliveries}
