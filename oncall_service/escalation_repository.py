"""SQL of escalations: the on-call service's record of who was escalated to, once per incident and level.

Functions take a cursor and never commit: the caller owns the transaction.
"""

from servicekit.params import fetch_page

# Claim an incident's escalation to a level. The unique (incident_id, level) makes a second claim, from
# any worker or replica, wait for the first one's transaction and then return nothing.
CLAIM_ESCALATION = """
INSERT INTO escalations (incident_id, level, team, trigger, reason, actor, assigned_name, assigned_email,
                         previous_name)
VALUES (%(incident_id)s, %(level)s, %(team)s, %(trigger)s, %(reason)s, %(actor)s, %(assigned_name)s,
        %(assigned_email)s, %(previous_name)s)
ON CONFLICT (incident_id, level) DO NOTHING
RETURNING id, incident_id, level, team, trigger, reason, actor, assigned_name, assigned_email, previous_name,
          created_at
"""

# When each incident reached its current escalation level (the escalation timer counts from there).
SELECT_ESCALATED_AT = """
SELECT incident_id, level, created_at FROM escalations WHERE incident_id = ANY(%(incident_ids)s)
"""

# A filtered page of escalations, newest first, with the total.
SELECT_ESCALATIONS_PAGE = """
SELECT id, incident_id, level, team, trigger, reason, actor, assigned_name, assigned_email, previous_name,
       created_at, count(*) OVER () AS total
FROM escalations
WHERE (%(incident_id)s::uuid IS NULL OR incident_id = %(incident_id)s)
  AND (%(team)s::text IS NULL OR lower(team) = lower(%(team)s))
ORDER BY created_at DESC, id
LIMIT %(limit)s OFFSET %(offset)s
"""


def claim(cur, escalation):
    """Insert the escalation row; None when this incident was already escalated to this level."""
    cur.execute(CLAIM_ESCALATION, escalation)
    return cur.fetchone()


def escalated_at(cur, incident_ids):
    """{(incident_id, level): when} for the given incidents."""
    cur.execute(SELECT_ESCALATED_AT, {"incident_ids": list(incident_ids)})
    return {(row["incident_id"], row["level"]): row["created_at"] for row in cur.fetchall()}


def list_escalations(cur, incident_id, team, limit, offset):
    """Return (escalations, total) for one page."""
    cur.execute(SELECT_ESCALATIONS_PAGE, {"incident_id": incident_id, "team": team, "limit": limit, "offset": offset})
    return fetch_page(cur)
