"""SQL of outgoing webhooks: subscriptions, the event outbox, deliveries. Functions take a cursor, never commit."""

from psycopg2.extras import Json

from servicekit.params import fetch_page

# Everything of a subscription but its secret (which is shown once, by the views that make one).
COLUMNS = """
    s.id, s.team, s.url, s.event_types, s.service, s.description, s.enabled, s.created_by, s.created_at,
    s.updated_at
"""
FIELDS = ("team", "url", "event_types", "service", "description", "enabled")

INSERT_SUBSCRIPTION = f"""
INSERT INTO webhook_subscriptions AS s (team, url, event_types, service, description, enabled, secret, created_by)
VALUES (%(team)s, %(url)s, %(event_types)s, %(service)s, %(description)s, %(enabled)s, %(secret)s, %(created_by)s)
RETURNING {COLUMNS}
"""

SELECT_SUBSCRIPTION = f"SELECT {COLUMNS} FROM webhook_subscriptions s WHERE s.id = %(id)s"

# A page of subscriptions, by team then age, optionally of one team.
SELECT_SUBSCRIPTIONS_PAGE = f"""
SELECT {COLUMNS}, count(*) OVER () AS total
FROM webhook_subscriptions s
WHERE %(team)s::text IS NULL OR s.team = %(team)s
ORDER BY s.team, s.created_at, s.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# Replace the changeable fields (the view merges the change into the current ones).
UPDATE_SUBSCRIPTION = f"""
UPDATE webhook_subscriptions s
SET team = %(team)s, url = %(url)s, event_types = %(event_types)s, service = %(service)s,
    description = %(description)s, enabled = %(enabled)s, updated_at = now()
WHERE s.id = %(id)s
RETURNING {COLUMNS}
"""

# A new secret; the old one stops signing at once.
ROTATE_SECRET = f"""
UPDATE webhook_subscriptions s SET secret = %(secret)s, updated_at = now() WHERE s.id = %(id)s RETURNING {COLUMNS}
"""

DELETE_SUBSCRIPTION = "DELETE FROM webhook_subscriptions WHERE id = %(id)s RETURNING id"

# Events not fanned out yet, oldest first, locked so that one worker fans each out; whether the incident's
# first page (which may give it its team) is still queued.
CLAIM_WAITING_EVENTS = """
SELECT e.id, e.event_type, e.occurred_at, i.team AS incident_team,
       now() - e.occurred_at AS age,
       EXISTS (SELECT 1 FROM paging_jobs j WHERE j.incident_id = e.incident_id AND j.kind = 'page') AS paging
FROM webhook_events e
LEFT JOIN incidents i ON i.id = e.incident_id
WHERE e.fanned_out_at IS NULL
ORDER BY e.seq
LIMIT %(limit)s
FOR UPDATE OF e SKIP LOCKED
"""

# One delivery per enabled subscription of the team that asked for the event (and its service, if it names one).
FAN_OUT = """
WITH event AS (
    UPDATE webhook_events SET team = %(team)s, fanned_out_at = now() WHERE id = %(id)s
    RETURNING id, event_type, data
)
INSERT INTO webhook_deliveries (subscription_id, event_id)
SELECT s.id, event.id
FROM event
JOIN webhook_subscriptions s ON s.enabled AND s.team = %(team)s AND event.event_type = ANY (s.event_types)
     AND (s.service IS NULL OR s.service = event.data -> 'incident' ->> 'service')
ON CONFLICT (subscription_id, event_id) DO NOTHING
"""

# Take the next due delivery and lease it: no other worker or replica sees it due until the lease ends, so the
# HTTP request runs outside any transaction; a worker that dies leaves it to the next after the lease.
CLAIM_DUE_DELIVERY = """
WITH claimed AS (
    UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => %(lease)s)
    WHERE id = (
        SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at, seq LIMIT 1
        FOR UPDATE SKIP LOCKED
    )
    RETURNING id, subscription_id, event_id, attempts
)
SELECT c.id, c.attempts, s.url, s.secret, s.enabled, e.id AS event_id, e.event_type, e.occurred_at, e.data, e.team
FROM claimed c
JOIN webhook_subscriptions s ON s.id = c.subscription_id
JOIN webhook_events e ON e.id = c.event_id
"""

# The outcome of one attempt: delivered, failed for good, or pending again at `delay` seconds from now.
RECORD_ATTEMPT = """
UPDATE webhook_deliveries
SET attempts = attempts + 1, status = %(status)s, last_status_code = %(status_code)s, last_error = %(error)s,
    last_attempt_at = now(),
    next_attempt_at = CASE WHEN %(status)s = 'pending' THEN now() + make_interval(secs => %(delay)s) END,
    finished_at = CASE WHEN %(status)s = 'pending' THEN NULL ELSE now() END
WHERE id = %(id)s
RETURNING attempts
"""

# "Send test event": an event already fanned out, to this subscription only.
INSERT_TEST_DELIVERY = """
WITH event AS (
    INSERT INTO webhook_events (event_type, data, team, fanned_out_at)
    VALUES ('webhook.test', %(data)s, %(team)s, now())
    RETURNING id, event_type
)
INSERT INTO webhook_deliveries (subscription_id, event_id)
SELECT %(subscription_id)s, id FROM event
RETURNING id
"""

DELIVERY_COLUMNS = """
    d.id, d.subscription_id, d.event_id, e.event_type, e.incident_id, d.status, d.attempts, d.last_status_code,
    d.last_error, d.next_attempt_at, d.created_at, d.last_attempt_at, d.finished_at
"""

# The delivery log of a subscription, newest first.
SELECT_DELIVERIES_PAGE = f"""
SELECT {DELIVERY_COLUMNS}, count(*) OVER () AS total
FROM webhook_deliveries d
JOIN webhook_events e ON e.id = d.event_id
WHERE d.subscription_id = %(subscription_id)s AND (%(status)s::text IS NULL OR d.status = %(status)s)
ORDER BY d.created_at DESC, d.id
LIMIT %(limit)s OFFSET %(offset)s
"""

SELECT_DELIVERY = f"""
SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.id = %(id)s
"""

# Events older than the log keeps, with nothing left to deliver (their deliveries go with them).
PURGE_OLD_EVENTS = """
DELETE FROM webhook_events e
WHERE e.id IN (
    SELECT id FROM webhook_events
    WHERE occurred_at < now() - make_interval(days => %(days)s) AND fanned_out_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id AND d.status = 'pending')
    LIMIT 1000
)
"""

# Deliveries waiting, for the webhook_deliveries_pending gauge.
COUNT_PENDING = "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'"


def insert_subscription(cur, fields, secret):
    cur.execute(INSERT_SUBSCRIPTION, {**{key: fields.get(key) for key in FIELDS}, **fields, "secret": secret})
    return cur.fetchone()


def get_subscription(cur, subscription_id):
    cur.execute(SELECT_SUBSCRIPTION, {"id": subscription_id})
    return cur.fetchone()


def list_subscriptions(cur, team, limit, offset):
    cur.execute(SELECT_SUBSCRIPTIONS_PAGE, {"team": team, "limit": limit, "offset": offset})
    return fetch_page(cur)


def update_subscription(cur, subscription_id, fields):
    cur.execute(UPDATE_SUBSCRIPTION, {**{key: fields[key] for key in FIELDS}, "id": subscription_id})
    return cur.fetchone()


def rotate_secret(cur, subscription_id, secret):
    cur.execute(ROTATE_SECRET, {"id": subscription_id, "secret": secret})
    return cur.fetchone()


def delete_subscription(cur, subscription_id):
    cur.execute(DELETE_SUBSCRIPTION, {"id": subscription_id})
    return cur.fetchone()


def claim_waiting_events(cur, limit):
    cur.execute(CLAIM_WAITING_EVENTS, {"limit": limit})
    return cur.fetchall()


def fan_out(cur, event_id, team):
    """Mark the event fanned out for `team`; returns how many deliveries it made."""
    cur.execute(FAN_OUT, {"id": event_id, "team": team})
    return cur.rowcount


def claim_due_delivery(cur, lease_seconds):
    cur.execute(CLAIM_DUE_DELIVERY, {"lease": lease_seconds})
    return cur.fetchone()


def record_attempt(cur, delivery_id, status, status_code=None, error=None, delay=None):
    params = {"id": delivery_id, "status": status, "status_code": status_code, "error": error, "delay": delay or 0}
    cur.execute(RECORD_ATTEMPT, params)
    return cur.fetchone()


def insert_test_delivery(cur, subscription, data):
    params = {"subscription_id": subscription["id"], "team": subscription["team"], "data": Json(data)}
    cur.execute(INSERT_TEST_DELIVERY, params)
    return cur.fetchone()["id"]


def list_deliveries(cur, subscription_id, status, limit, offset):
    params = {"subscription_id": subscription_id, "status": status, "limit": limit, "offset": offset}
    cur.execute(SELECT_DELIVERIES_PAGE, params)
    return fetch_page(cur)


def get_delivery(cur, delivery_id):
    cur.execute(SELECT_DELIVERY, {"id": delivery_id})
    return cur.fetchone()


def purge_old_events(cur, days):
    cur.execute(PURGE_OLD_EVENTS, {"days": days})
    return cur.rowcount
