"""SQL of calendar feeds: the tokens that open a schedule's or a user's calendar.

Functions take a cursor and never commit: the caller owns the transaction.
"""

FEED_COLUMNS = "id, schedule_id, user_id, prefix, created_by, created_at, revoked_at"

# A new feed; only the token's digest is kept.
INSERT_FEED = f"""
INSERT INTO calendar_feeds (schedule_id, user_id, token_hash, prefix, created_by)
VALUES (%(schedule_id)s, %(user_id)s, %(token_hash)s, %(prefix)s, %(created_by)s)
RETURNING {FEED_COLUMNS}
"""

# The feeds of a schedule or of a user, newest first, revoked ones included (they say when).
SELECT_FEEDS = f"""
SELECT {FEED_COLUMNS} FROM calendar_feeds
WHERE (%(schedule_id)s::uuid IS NOT NULL AND schedule_id = %(schedule_id)s)
   OR (%(user_id)s::uuid IS NOT NULL AND user_id = %(user_id)s)
ORDER BY created_at DESC, id
"""

# Revoke a feed of a schedule or of a user (revoking twice keeps the first time).
REVOKE_FEED = f"""
UPDATE calendar_feeds SET revoked_at = COALESCE(revoked_at, now())
WHERE id = %(id)s
  AND ((%(schedule_id)s::uuid IS NOT NULL AND schedule_id = %(schedule_id)s)
       OR (%(user_id)s::uuid IS NOT NULL AND user_id = %(user_id)s))
RETURNING {FEED_COLUMNS}
"""

# The live feed a token opens.
SELECT_FEED_BY_DIGEST = f"""
SELECT {FEED_COLUMNS} FROM calendar_feeds WHERE token_hash = %(digest)s AND revoked_at IS NULL
"""


def _owner(schedule_id=None, user_id=None):
    return {"schedule_id": schedule_id, "user_id": user_id}


def insert_feed(cur, feed):
    cur.execute(INSERT_FEED, {**_owner(), **feed})
    return cur.fetchone()


def list_feeds(cur, schedule_id=None, user_id=None):
    cur.execute(SELECT_FEEDS, _owner(schedule_id, user_id))
    return cur.fetchall()


def revoke_feed(cur, feed_id, schedule_id=None, user_id=None):
    cur.execute(REVOKE_FEED, {"id": feed_id, **_owner(schedule_id, user_id)})
    return cur.fetchone()


def feed_by_digest(cur, digest):
    cur.execute(SELECT_FEED_BY_DIGEST, {"digest": digest})
    return cur.fetchone()
