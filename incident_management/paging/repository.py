"""SQL of paging: the queue of paging jobs and the on-call assignment. Functions take a cursor, never commit."""

from psycopg2.extras import Json

# Queue a job in the caller's transaction (the one that opens or changes the incident).
INSERT_JOB = """
INSERT INTO paging_jobs (incident_id, kind, payload, next_attempt_at)
VALUES (%(incident_id)s, %(kind)s, %(payload)s, COALESCE(%(not_before)s, now()))
"""

# Take the next due job and lease it: it is not due again (for any worker or replica) until the lease ends,
# so one worker does its HTTP calls outside any transaction; a worker that dies leaves it to the next.
CLAIM_DUE_JOB = """
UPDATE paging_jobs SET next_attempt_at = now() + make_interval(secs => %(lease)s)
WHERE id = (
    SELECT id FROM paging_jobs WHERE next_attempt_at <= now()
    ORDER BY next_attempt_at, id LIMIT 1
    FOR UPDATE SKIP LOCKED
)
RETURNING id, incident_id, kind, payload, attempts
"""

# A page job found its person: from now on it only has to notify them (a fresh count of attempts).
TURN_INTO_NOTIFY = """
UPDATE paging_jobs SET kind = 'notify', payload = %(payload)s, attempts = 0, last_error = NULL WHERE id = %(id)s
"""

# Remember in the job what it has done already (its later deliveries are queued).
SET_PAYLOAD = "UPDATE paging_jobs SET payload = %(payload)s WHERE id = %(id)s"

# A neighbour service failed: try again later, with exponential back-off up to a ceiling.
RESCHEDULE_JOB = """
UPDATE paging_jobs
SET attempts = attempts + 1, last_error = %(error)s,
    next_attempt_at = now() + make_interval(secs => %(delay)s)
WHERE id = %(id)s
RETURNING attempts
"""

# A low-urgency notification waits for its team's working hours.
DEFER_JOB = "UPDATE paging_jobs SET next_attempt_at = %(not_before)s WHERE id = %(id)s"

# Done (or given up, with a paging_failed event).
DELETE_JOB = "DELETE FROM paging_jobs WHERE id = %(id)s"

# Assign the on-call primary unless someone (a person, an escalation) assigned the incident meanwhile.
ASSIGN_ON_CALL = """
UPDATE incidents
SET assigned_to = %(name)s, assigned_email = %(email)s, team = COALESCE(team, %(team)s), updated_at = now()
WHERE id = %(id)s AND assigned_to IS NULL AND escalation_level = 0 AND status <> 'resolved'
RETURNING id, title, description, service, severity, status, team, assigned_to, assigned_email, escalation_level
"""

# Jobs waiting, for the paging_jobs_pending gauge.
COUNT_PENDING = "SELECT count(*) FROM paging_jobs"


def queue(cur, incident_id, kind, payload=None, not_before=None):
    params = {"incident_id": incident_id, "kind": kind, "payload": Json(payload or {}), "not_before": not_before}
    cur.execute(INSERT_JOB, params)


def defer(cur, job_id, not_before):
    cur.execute(DEFER_JOB, {"id": job_id, "not_before": not_before})


def claim_due(cur, lease_seconds):
    cur.execute(CLAIM_DUE_JOB, {"lease": lease_seconds})
    return cur.fetchone()


def turn_into_notify(cur, job_id, payload):
    cur.execute(TURN_INTO_NOTIFY, {"id": job_id, "payload": Json(payload)})


def set_payload(cur, job_id, payload):
    cur.execute(SET_PAYLOAD, {"id": job_id, "payload": Json(payload)})


def reschedule(cur, job_id, error, delay):
    """Returns how many attempts have failed so far."""
    cur.execute(RESCHEDULE_JOB, {"id": job_id, "error": error[:1000], "delay": delay})
    return cur.fetchone()["attempts"]


def delete(cur, job_id):
    cur.execute(DELETE_JOB, {"id": job_id})


def assign_on_call(cur, incident_id, team, person):
    cur.execute(ASSIGN_ON_CALL, {"id": incident_id, "team": team, "name": person["name"], "email": person["email"]})
    return cur.fetchone()
