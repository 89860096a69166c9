"""SQL of the notification service: the delivery log, which is also the retry queue.

Functions take a cursor and never commit: the caller owns the transaction.
"""

from servicekit.params import fetch_page

NOTIFICATION_COLUMNS = """
    id, incident_id, channel, recipient, urgency, subject, message, dedup_key, status, attempts, max_attempts,
    last_error, CASE WHEN status = 'pending' THEN next_attempt_at END AS next_attempt_at,
    created_at, updated_at, sent_at, failed_at
"""

# Store a notification before any attempt; its request delivers it, so the relay waits `grace_seconds`.
# A stored dedup key makes this a no-op (no row returned).
INSERT_NOTIFICATION = f"""
INSERT INTO notifications (incident_id, channel, recipient, urgency, subject, message, dedup_key, max_attempts,
                           next_attempt_at)
VALUES (%(incident_id)s, %(channel)s, %(recipient)s, %(urgency)s, %(subject)s, %(message)s, %(dedup_key)s,
        %(max_attempts)s, now() + make_interval(secs => %(grace_seconds)s))
ON CONFLICT (dedup_key) DO NOTHING
RETURNING {NOTIFICATION_COLUMNS}
"""

# The notification that holds a dedup key.
SELECT_BY_DEDUP_KEY = f"SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE dedup_key = %(dedup_key)s"

# One notification.
SELECT_NOTIFICATION = f"SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE id = %(id)s"

# Lock one pending notification for an attempt; nothing when it is sent, failed, or locked by another worker.
LOCK_PENDING = f"""
SELECT {NOTIFICATION_COLUMNS} FROM notifications
WHERE id = %(id)s AND status = 'pending'
FOR UPDATE SKIP LOCKED
"""

# The pending notification due first, locked so that no other worker or replica attempts it too.
CLAIM_DUE = f"""
SELECT {NOTIFICATION_COLUMNS} FROM notifications
WHERE status = 'pending' AND next_attempt_at <= now()
ORDER BY next_attempt_at
LIMIT 1
FOR UPDATE SKIP LOCKED
"""

# The attempt succeeded (last_error keeps the failure that came before, if any).
MARK_SENT = f"""
UPDATE notifications
SET status = 'sent', attempts = attempts + 1, sent_at = now(), updated_at = now()
WHERE id = %(id)s
RETURNING {NOTIFICATION_COLUMNS}
"""

# The attempt failed and another one is due after a back-off.
RESCHEDULE = f"""
UPDATE notifications
SET attempts = attempts + 1, last_error = %(error)s, updated_at = now(),
    next_attempt_at = now() + make_interval(secs => %(delay_seconds)s)
WHERE id = %(id)s
RETURNING {NOTIFICATION_COLUMNS}
"""

# The last attempt failed (or the receiver refused for good): no more retries.
MARK_FAILED = f"""
UPDATE notifications
SET status = 'failed', attempts = attempts + 1, last_error = %(error)s, failed_at = now(), updated_at = now()
WHERE id = %(id)s
RETURNING {NOTIFICATION_COLUMNS}
"""

# A filtered page of notifications, newest first, with the total that matches the filters.
SELECT_NOTIFICATIONS_PAGE = f"""
SELECT {NOTIFICATION_COLUMNS}, count(*) OVER () AS total
FROM notifications
WHERE (%(incident_id)s::uuid IS NULL OR incident_id = %(incident_id)s)
  AND (%(recipient)s::text IS NULL OR recipient = %(recipient)s)
  AND (%(status)s::text IS NULL OR status = %(status)s)
  AND (%(channel)s::text IS NULL OR channel = %(channel)s)
  AND (%(since)s::timestamptz IS NULL OR created_at >= %(since)s)
  AND (%(until)s::timestamptz IS NULL OR created_at < %(until)s)
ORDER BY created_at DESC, id
LIMIT %(limit)s OFFSET %(offset)s
"""

_MAX_ERROR_LENGTH = 1000


def insert_notification(cur, notification, max_attempts, grace_seconds):
    """Store a new notification; None if its dedup key is already stored."""
    params = {
        "incident_id": notification["incident_id"],
        "channel": notification["channel"],
        "recipient": notification["recipient"],
        "urgency": notification.get("urgency") or "high",
        "subject": notification.get("subject"),
        "message": notification["message"],
        "dedup_key": notification.get("dedup_key"),
        "max_attempts": max_attempts,
        "grace_seconds": grace_seconds,
    }
    cur.execute(INSERT_NOTIFICATION, params)
    return cur.fetchone()


def find_by_dedup_key(cur, dedup_key):
    cur.execute(SELECT_BY_DEDUP_KEY, {"dedup_key": dedup_key})
    return cur.fetchone()


def get_notification(cur, notification_id):
    cur.execute(SELECT_NOTIFICATION, {"id": notification_id})
    return cur.fetchone()


def lock_pending(cur, notification_id):
    cur.execute(LOCK_PENDING, {"id": notification_id})
    return cur.fetchone()


def claim_due(cur):
    cur.execute(CLAIM_DUE)
    return cur.fetchone()


def mark_sent(cur, notification_id):
    cur.execute(MARK_SENT, {"id": notification_id})
    return cur.fetchone()


def reschedule(cur, notification_id, error, delay_seconds):
    cur.execute(RESCHEDULE, {"id": notification_id, "error": error[:_MAX_ERROR_LENGTH], "delay_seconds": delay_seconds})
    return cur.fetchone()


def mark_failed(cur, notification_id, error):
    cur.execute(MARK_FAILED, {"id": notification_id, "error": error[:_MAX_ERROR_LENGTH]})
    return cur.fetchone()


def list_notifications(cur, filters, limit, offset):
    """Return (notifications, total) for one page."""
    params = {key: filters.get(key) for key in ("incident_id", "recipient", "status", "channel", "since", "until")}
    cur.execute(SELECT_NOTIFICATIONS_PAGE, {**params, "limit": limit, "offset": offset})
    return fetch_page(cur)
