"""SQL of escalation as due work: each incident's place in its policy, and the log of escalations.

Functions take a cursor and never commit: the caller owns the transaction.
"""

from psycopg2.extras import Json

from servicekit.params import fetch_page

# Begin an incident's walk through its policy; a second start (a repeated job) changes nothing.
INSERT_STATE = """
INSERT INTO escalation_state (incident_id, team, policy_id, policy_name, urgency, step, round, step_label,
                              next_escalation_at, final, paged)
VALUES (%(incident_id)s, %(team)s, %(policy_id)s, %(policy_name)s, %(urgency)s, %(step)s, %(round)s,
        %(step_label)s, %(next_escalation_at)s, %(final)s, %(paged)s)
ON CONFLICT (incident_id) DO NOTHING
RETURNING incident_id, team, policy_id, policy_name, urgency, step, round, step_label, next_escalation_at, final,
          attempts, last_error, updated_at, paged
"""

# An incident's place in its policy; the FOR UPDATE variant serialises the steps of one incident.
SELECT_STATE = """
SELECT incident_id, team, policy_id, policy_name, urgency, step, round, step_label, next_escalation_at, final,
       attempts, last_error, updated_at, paged
FROM escalation_state WHERE incident_id = %(incident_id)s
"""
SELECT_STATE_FOR_UPDATE = SELECT_STATE + " FOR UPDATE"

# Take the next due step and lease it: it is not due again, for any worker or replica, until the lease ends,
# so one worker asks the on-call service outside any transaction. An incident acknowledged or resolved
# meanwhile has nothing due any more.
CLAIM_DUE = """
UPDATE escalation_state s
SET next_escalation_at = CASE WHEN i.status = 'open' THEN now() + make_interval(secs => %(lease)s) END,
    updated_at = now()
FROM incidents i
WHERE i.id = s.incident_id AND s.incident_id = (
    SELECT incident_id FROM escalation_state WHERE next_escalation_at <= now()
    ORDER BY next_escalation_at, incident_id LIMIT 1
    FOR UPDATE SKIP LOCKED
)
RETURNING s.incident_id, s.team, s.policy_id, s.step, s.round, s.attempts, i.status
"""

# The incident moved to a step of its policy (or stopped: next_escalation_at NULL).
MOVE_STATE = """
UPDATE escalation_state
SET step = %(step)s, round = %(round)s, step_label = %(step_label)s, next_escalation_at = %(next_escalation_at)s,
    final = %(final)s, attempts = 0, last_error = NULL, updated_at = now()
WHERE incident_id = %(incident_id)s
"""

# Remember who a step paged (with what they opted in to hear afterwards).
APPEND_PAGED = """
UPDATE escalation_state SET paged = paged || %(people)s WHERE incident_id = %(incident_id)s
"""

# Nothing more is due for this incident (acknowledged, resolved, last step, the policy gone).
STOP_STATE = """
UPDATE escalation_state SET next_escalation_at = NULL, final = %(final)s, updated_at = now()
WHERE incident_id = %(incident_id)s
"""

# The on-call service failed: the step is tried again later, with back-off.
RESCHEDULE_STATE = """
UPDATE escalation_state
SET attempts = attempts + 1, last_error = %(error)s, next_escalation_at = now() + make_interval(secs => %(delay)s)
WHERE incident_id = %(incident_id)s
RETURNING attempts
"""

# Record an escalation; the unique (incident_id, level) makes a second one to the same level do nothing.
INSERT_ESCALATION = """
INSERT INTO incident_escalations (incident_id, level, team, policy_name, step, round, trigger, reason, actor,
                                  assigned_name, assigned_email, previous_name)
VALUES (%(incident_id)s, %(level)s, %(team)s, %(policy_name)s, %(step)s, %(round)s, %(trigger)s, %(reason)s,
        %(actor)s, %(assigned_name)s, %(assigned_email)s, %(previous_name)s)
ON CONFLICT (incident_id, level) DO NOTHING
RETURNING id
"""

# A filtered page of escalations, newest first, with the total.
SELECT_ESCALATIONS_PAGE = """
SELECT id, incident_id, level, team, policy_name, step, round, trigger, reason, actor, assigned_name,
       assigned_email, previous_name, created_at, count(*) OVER () AS total
FROM incident_escalations
WHERE (%(incident_id)s::uuid IS NULL OR incident_id = %(incident_id)s)
  AND (%(team)s::text IS NULL OR lower(team) = lower(%(team)s))
ORDER BY created_at DESC, id
LIMIT %(limit)s OFFSET %(offset)s
"""

# escalations_total{team}: every escalation so far, and 0 for every team whose incidents follow a policy.
COUNT_BY_TEAM = """
SELECT team, sum(n) FROM (
    SELECT team, count(*) AS n FROM incident_escalations GROUP BY team
    UNION ALL
    SELECT DISTINCT team, 0 FROM escalation_state
) known GROUP BY team
"""

# incidents_unpaged: open incidents whose policy reached nobody.
COUNT_UNPAGED = "SELECT count(*) FROM incidents WHERE unpaged AND status <> 'resolved'"


def insert_state(cur, state, paged=()):
    cur.execute(INSERT_STATE, {**state, "paged": Json(list(paged))})
    return cur.fetchone()


def append_paged(cur, incident_id, people):
    cur.execute(APPEND_PAGED, {"incident_id": incident_id, "people": Json(list(people))})


def get_state(cur, incident_id, for_update=False):
    cur.execute(SELECT_STATE_FOR_UPDATE if for_update else SELECT_STATE, {"incident_id": incident_id})
    return cur.fetchone()


def claim_due(cur, lease_seconds):
    cur.execute(CLAIM_DUE, {"lease": lease_seconds})
    return cur.fetchone()


def move(cur, incident_id, position):
    cur.execute(MOVE_STATE, {**position, "incident_id": incident_id})


def stop(cur, incident_id, final=True):
    cur.execute(STOP_STATE, {"incident_id": incident_id, "final": final})


def reschedule(cur, incident_id, error, delay):
    cur.execute(RESCHEDULE_STATE, {"incident_id": incident_id, "error": error[:1000], "delay": delay})
    return cur.fetchone()["attempts"]


def insert_escalation(cur, escalation):
    """The new log row's id, or None when the incident reached that level before."""
    cur.execute(INSERT_ESCALATION, escalation)
    row = cur.fetchone()
    return row["id"] if row else None


def list_escalations(cur, incident_id, team, limit, offset):
    """Return (escalations, total) for one page."""
    cur.execute(SELECT_ESCALATIONS_PAGE, {"incident_id": incident_id, "team": team, "limit": limit, "offset": offset})
    return fetch_page(cur)
