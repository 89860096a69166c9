"""SQL of action links: the nonces of links that were used (each acts once)."""

# Take a link's nonce; no row when it was taken before (the link was used).
INSERT_USED_LINK = """
INSERT INTO incident_action_links_used (nonce, incident_id, action, email)
VALUES (%(nonce)s, %(incident_id)s, %(action)s, %(email)s)
ON CONFLICT (nonce) DO NOTHING
RETURNING used_at
"""

# When a link was used.
SELECT_USED_LINK = "SELECT used_at FROM incident_action_links_used WHERE nonce = %(nonce)s"


def take(cur, link):
    """True when this call took the link (first use), False when it was used before."""
    params = {"nonce": link.nonce, "incident_id": link.incident_id, "action": link.action, "email": link.email}
    cur.execute(INSERT_USED_LINK, params)
    return cur.fetchone() is not None


def used_at(cur, link):
    cur.execute(SELECT_USED_LINK, {"nonce": link.nonce})
    row = cur.fetchone()
    return row["used_at"] if row else None
