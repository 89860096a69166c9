"""SQL of alert ingestion: alerts and their outbox. Functions take a cursor and never commit.

The incident of an alert is the reference incident management answered with
(`alerts.incident_id`): incident management's tables are its own.
"""

from psycopg2.extras import Json

from alert_ingestion import links
from servicekit import prepared
from servicekit.params import fetch_page

# What an alert's correlation reads as: the incident it joined, pending until it has one, or suppressed.
CORRELATION = "(CASE WHEN a.status = 'suppressed' THEN 'suppressed' ELSE COALESCE(a.correlation, 'pending') END)"
ALERT_COLUMNS = f"""
    a.id, a.service, a.severity, a.message, a.labels, a.links, a.images, a.source, a.dedup_key, a.status,
    a.occurred_at, a.received_at, a.resolved_at,
    a.incident_id, {CORRELATION} AS correlation, a.integration_key_id, a.suppressed_by
"""

# Store an alert and queue it for incident management in one statement; a firing alert
# with the same dedup key (sent with the same integration key, or both without) makes it a no-op (no row returned).
INSERT_ALERT_WITH_OUTBOX = """
WITH new_alert AS (
    INSERT INTO alerts (service, severity, message, labels, links, images, source, dedup_key, occurred_at,
                        integration_key_id)
    VALUES (%(service)s, %(severity)s, %(message)s, %(labels)s, %(links)s, %(images)s, %(source)s, %(dedup_key)s,
            COALESCE(%(timestamp)s, now()), %(integration_key_id)s)
    ON CONFLICT (dedup_key, (COALESCE(integration_key_id, '00000000-0000-0000-0000-000000000000'::uuid)))
        WHERE status = 'firing' DO NOTHING
    RETURNING id, service, severity, message, labels, links, images, source, occurred_at, received_at
), queued AS (
    INSERT INTO alert_outbox (alert_id, next_attempt_at)
    SELECT id, now() + make_interval(secs => %(grace_seconds)s) FROM new_alert
)
SELECT * FROM new_alert
"""

# Planned once per connection (servicekit.prepared): every alert runs it.
STORE_ALERT = prepared.Prepared("store_alert", INSERT_ALERT_WITH_OUTBOX)

# The firing alert that holds a dedup key for an integration key (or for no key), with its incident if it has one.
SELECT_FIRING_BY_DEDUP_KEY = f"""
SELECT {ALERT_COLUMNS}
FROM alerts a
WHERE a.dedup_key = %(dedup_key)s AND a.status = 'firing'
  AND a.integration_key_id IS NOT DISTINCT FROM %(integration_key_id)s
"""

# One alert with its incident.
SELECT_ALERT = f"""
SELECT {ALERT_COLUMNS}
FROM alerts a
WHERE a.id = %(id)s
"""

# A filtered page of alerts, newest first, with the total that matches the filters.
SELECT_ALERTS_PAGE = f"""
SELECT {ALERT_COLUMNS}, count(*) OVER () AS total
FROM alerts a
WHERE (%(service)s::text IS NULL OR a.service = %(service)s)
  AND (%(severity)s::text IS NULL OR a.severity = %(severity)s)
  AND (%(status)s::text IS NULL OR a.status = %(status)s)
  AND (%(incident_id)s::uuid IS NULL OR a.incident_id = %(incident_id)s)
  AND (%(integration_key_id)s::uuid IS NULL OR a.integration_key_id = %(integration_key_id)s)
  AND (%(correlation)s::text IS NULL OR {CORRELATION} = %(correlation)s)
  AND (%(since)s::timestamptz IS NULL OR a.received_at >= %(since)s)
  AND (%(until)s::timestamptz IS NULL OR a.received_at < %(until)s)
ORDER BY a.received_at DESC, a.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# One relay at a time per shard of the correlation keys, across workers and replicas (released at commit):
# relays of different shards hand over alerts of different keys, so their batches never wait on each
# other's correlation locks in incident management.
LOCK_RELAY_SHARD = "SELECT pg_try_advisory_xact_lock(%(lock_class)s, %(shard)s) AS locked"
RELAY_LOCK_CLASS = 8001  # two-number advisory locks of alert ingestion's relay: (class, shard)

# The hand-off after a 202 (alert_ingestion/handoff.py Later): one batch of a shard at a time across workers
# and replicas. A session lock, held over the call to incident management on an otherwise idle connection.
LOCK_HANDOFF_SHARD = "SELECT pg_advisory_lock(%(lock_class)s, %(shard)s)"
UNLOCK_HANDOFF_SHARD = "SELECT pg_advisory_unlock(%(lock_class)s, %(shard)s)"
HANDOFF_LOCK_CLASS = 8002

# Outbox entries of a shard due for delivery, locked so that no other worker or replica takes them.
CLAIM_DUE_OUTBOX = """
SELECT o.alert_id AS id, o.attempts, a.service, a.severity, a.message, a.labels, a.links, a.images, a.source,
       a.occurred_at, a.received_at
FROM alert_outbox o JOIN alerts a ON a.id = o.alert_id
WHERE o.next_attempt_at <= now()
  AND mod(abs(hashtext(a.service || '/' || a.severity)), %(shards)s) = %(shard)s
ORDER BY o.next_attempt_at
LIMIT %(limit)s
FOR UPDATE OF o SKIP LOCKED
"""

# Incident management has the alerts: note the incident each one went to (or that it holds them), and they leave
# the outbox; a reference incident management reported since (a move, a release) is newer and stays.
# Losing this in a crash only means one harmless redelivery (attaching is idempotent), so the commit
# need not wait for the disk.
ACKNOWLEDGE_OUTBOX = """
SET LOCAL synchronous_commit = off;
WITH acked AS (
    SELECT * FROM unnest(%(alert_ids)s::uuid[], %(incident_ids)s::uuid[], %(correlations)s::text[])
        AS acked (alert_id, incident_id, correlation)
), noted AS (
    UPDATE alerts a SET incident_id = acked.incident_id, correlation = acked.correlation
    FROM acked WHERE a.id = acked.alert_id AND a.reference_changed_at IS NULL
)
DELETE FROM alert_outbox WHERE alert_id IN (SELECT alert_id FROM acked)
"""

# Incident management moved alerts to other incidents (or released held ones into an incident).
UPDATE_REFERENCES = """
UPDATE alerts a SET incident_id = changed.incident_id, correlation = changed.correlation, reference_changed_at = now()
FROM unnest(%(alert_ids)s::uuid[], %(incident_ids)s::uuid[], %(correlations)s::text[])
    AS changed (alert_id, incident_id, correlation)
WHERE a.id = changed.alert_id
RETURNING a.id
"""

# Delivery failed: try again later, with exponential back-off up to a ceiling.
RESCHEDULE_OUTBOX = """
UPDATE alert_outbox
SET attempts = attempts + 1,
    last_error = %(error)s,
    next_attempt_at = now() + make_interval(secs => LEAST(%(max_backoff)s, power(2, attempts)))
WHERE alert_id = %(alert_id)s
"""

# How many alerts wait for incident management.
COUNT_OUTBOX = "SELECT count(*) FROM alert_outbox"


def insert_alert(cur, alert, source, grace_seconds, integration_key_id=None):
    """Store the alert with its outbox entry; None if a firing alert holds its dedup key."""
    STORE_ALERT.run(cur, {**alert_params(alert, source, integration_key_id), "grace_seconds": grace_seconds})
    return cur.fetchone()


def alert_params(alert, source, integration_key_id):
    """The parameters of storing a validated alert."""
    return {
        "integration_key_id": integration_key_id,
        "service": alert["service"],
        "severity": alert["severity"],
        "message": alert["message"],
        "labels": Json(alert.get("labels") or {}),
        "links": Json(links.unique(links.link(item["href"], item.get("text")) for item in alert.get("links") or [])),
        "images": Json(alert.get("images") or []),
        "source": source,
        "dedup_key": alert.get("dedup_key"),
        "timestamp": alert.get("timestamp"),
    }


def find_firing_by_dedup_key(cur, dedup_key, integration_key_id=None):
    cur.execute(SELECT_FIRING_BY_DEDUP_KEY, {"dedup_key": dedup_key, "integration_key_id": integration_key_id})
    return cur.fetchone()


def get_alert(cur, alert_id):
    cur.execute(SELECT_ALERT, {"id": alert_id})
    return cur.fetchone()


def list_alerts(cur, filters, limit, offset):
    """Return (alerts, total) for one page."""
    params = {
        key: filters.get(key)
        for key in (
            "service",
            "severity",
            "status",
            "incident_id",
            "integration_key_id",
            "correlation",
            "since",
            "until",
        )
    }
    cur.execute(SELECT_ALERTS_PAGE, {**params, "limit": limit, "offset": offset})
    return fetch_page(cur)


def lock_relay_shard(cur, shard):
    """Whether this transaction now relays `shard` (False: another worker or replica does)."""
    cur.execute(LOCK_RELAY_SHARD, {"lock_class": RELAY_LOCK_CLASS, "shard": shard})
    return cur.fetchone()["locked"]


def lock_handoff_shard(cur, shard):
    cur.execute(LOCK_HANDOFF_SHARD, {"lock_class": HANDOFF_LOCK_CLASS, "shard": shard})


def unlock_handoff_shard(cur, shard):
    cur.execute(UNLOCK_HANDOFF_SHARD, {"lock_class": HANDOFF_LOCK_CLASS, "shard": shard})


def claim_due_outbox(cur, limit, shard=0, shards=1):
    cur.execute(CLAIM_DUE_OUTBOX, {"limit": limit, "shard": shard, "shards": shards})
    return cur.fetchall()


def acknowledge_outbox(cur, acks):
    """`acks` are (alert_id, incident_id, correlation) of alerts incident management attached (or held: no id)."""
    params = {
        "alert_ids": [str(alert_id) for alert_id, _, _ in acks],
        "incident_ids": [str(incident_id) if incident_id else None for _, incident_id, _ in acks],
        "correlations": [correlation for _, _, correlation in acks],
    }
    cur.execute(ACKNOWLEDGE_OUTBOX, params)


def reschedule_outbox(cur, alert_id, error, max_backoff):
    cur.execute(RESCHEDULE_OUTBOX, {"alert_id": alert_id, "error": error[:1000], "max_backoff": max_backoff})


def update_references(cur, references):
    """`references` are {alert_id, incident_id, correlation}; returns how many alerts exist here."""
    params = {
        "alert_ids": [str(ref["alert_id"]) for ref in references],
        "incident_ids": [str(ref["incident_id"]) for ref in references],
        "correlations": [ref["correlation"] for ref in references],
    }
    cur.execute(UPDATE_REFERENCES, params)
    return len(cur.fetchall())
