"""SQL of signing in: password hashes, sessions, API tokens and failed sign-ins.

Sessions and tokens are looked up by the SHA-256 hash of their value. Functions take a cursor and never
commit: the caller owns the transaction.
"""

from oncall_service.identity.repository import USER_COLUMNS

# Serialises sign-ins of one e-mail address, so that parallel guesses cannot pass the lockout.
LOCK_EMAIL = "SELECT pg_advisory_xact_lock(hashtext('oncall.login:' || lower(%(email)s)))"

# A user with the password hash, by e-mail.
SELECT_LOGIN = f"""
SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE lower(u.email) = lower(%(email)s)
"""

# A user's password hash, by id.
SELECT_PASSWORD_HASH = "SELECT password_hash FROM users WHERE id = %(id)s FOR UPDATE"  # pragma: allowlist secret

# Store a new password hash.
UPDATE_PASSWORD = """
UPDATE users SET password_hash = %(password_hash)s, password_changed_at = now(), updated_at = now()
WHERE id = %(id)s
"""

# When the address may sign in again: the max-th newest failure in the window, plus the window.
SELECT_LOCKED_UNTIL = """
SELECT failed_at + make_interval(secs => %(window)s) AS until
FROM login_failures
WHERE lower(email) = lower(%(email)s) AND failed_at > now() - make_interval(secs => %(window)s)
ORDER BY failed_at DESC
OFFSET %(max_failures)s - 1 LIMIT 1
"""

# Remember a failed sign-in (and forget this address's failures older than the window).
INSERT_FAILURE = "INSERT INTO login_failures (email, client_address) VALUES (%(email)s, %(client)s)"
DELETE_OLD_FAILURES = """
DELETE FROM login_failures
WHERE lower(email) = lower(%(email)s) AND failed_at <= now() - make_interval(secs => %(window)s)
"""

# A successful sign-in forgets the address's failures.
DELETE_FAILURES = "DELETE FROM login_failures WHERE lower(email) = lower(%(email)s)"

SESSION_COLUMNS = "s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at"

# Start a session.
INSERT_SESSION = f"""
INSERT INTO user_sessions AS s (user_id, token_hash, csrf_token, client_address, user_agent, expires_at)
VALUES (%(user_id)s, %(token_hash)s, %(csrf_token)s, %(client)s, %(user_agent)s,
        now() + make_interval(secs => %(lifetime)s))
RETURNING {SESSION_COLUMNS}
"""

# A live session with its user: not expired, not idle too long, the user active.
SELECT_LIVE_SESSION = f"""
SELECT s.id AS session_id, s.csrf_token, s.expires_at, {USER_COLUMNS}
FROM user_sessions s JOIN users u ON u.id = s.user_id
WHERE s.token_hash = %(token_hash)s AND s.expires_at > now()
  AND s.last_seen_at > now() - make_interval(secs => %(idle)s) AND u.active
"""

# A session in use stays alive (written at most once a minute).
TOUCH_SESSION = """
UPDATE user_sessions SET last_seen_at = now()
WHERE id = %(id)s AND last_seen_at < now() - interval '60 seconds'
"""

# Sign out: end one session.
DELETE_SESSION = "DELETE FROM user_sessions WHERE token_hash = %(token_hash)s"

# End a user's sessions, except (optionally) one.
DELETE_USER_SESSIONS = """
DELETE FROM user_sessions WHERE user_id = %(user_id)s AND (%(keep)s::uuid IS NULL OR id <> %(keep)s)
"""

# Sessions past their end are removed now and then.
DELETE_EXPIRED_SESSIONS = "DELETE FROM user_sessions WHERE expires_at < now() - interval '1 day'"

TOKEN_COLUMNS = (
    "t.id, t.user_id, t.name, t.prefix, t.role, t.source, t.created_at, t.expires_at, t.last_used_at, t.revoked_at"
)

# Make an API token.
INSERT_TOKEN = f"""
INSERT INTO api_tokens AS t (user_id, name, token_hash, prefix, role, source, expires_at)
VALUES (%(user_id)s, %(name)s, %(token_hash)s, %(prefix)s, %(role)s, %(source)s, %(expires_at)s)
ON CONFLICT (token_hash) DO NOTHING
RETURNING {TOKEN_COLUMNS}
"""

# A usable token with its user: not revoked, not expired, the user active.
SELECT_LIVE_TOKEN = f"""
SELECT {TOKEN_COLUMNS}, u.email, u.role AS user_role, u.name AS user_name
FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE t.token_hash = %(token_hash)s AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
  AND u.active
"""

# A token's use is recorded (at most every ten seconds).
TOUCH_TOKEN = """
UPDATE api_tokens SET last_used_at = now()
WHERE id = %(id)s AND (last_used_at IS NULL OR last_used_at < now() - interval '10 seconds')
"""

# One token by id.
SELECT_TOKEN = f"SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.id = %(id)s"

# A page of tokens, newest first, of one user or of everyone.
SELECT_TOKENS_PAGE = f"""
SELECT {TOKEN_COLUMNS}, count(*) OVER () AS total
FROM api_tokens t
WHERE (%(user_id)s::uuid IS NULL OR t.user_id = %(user_id)s)
  AND (%(revoked)s::boolean IS NULL OR (t.revoked_at IS NOT NULL) = %(revoked)s)
ORDER BY t.created_at DESC, t.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# Revoke a token (revoking twice keeps the first time).
REVOKE_TOKEN = f"""
UPDATE api_tokens AS t SET revoked_at = COALESCE(revoked_at, now()) WHERE id = %(id)s RETURNING {TOKEN_COLUMNS}
"""

# The settings' token (ADMIN_API_KEY) replaces any earlier one.
REVOKE_OTHER_SETTINGS_TOKENS = """
UPDATE api_tokens SET revoked_at = now()
WHERE source = 'settings' AND revoked_at IS NULL AND token_hash <> %(token_hash)s
"""


def lock_email(cur, email):
    cur.execute(LOCK_EMAIL, {"email": email})


def get_login(cur, email):
    cur.execute(SELECT_LOGIN, {"email": email})
    return cur.fetchone()


def get_password_hash(cur, user_id):
    cur.execute(SELECT_PASSWORD_HASH, {"id": user_id})
    row = cur.fetchone()
    return row["password_hash"] if row else None


def set_password(cur, user_id, password_hash):
    cur.execute(UPDATE_PASSWORD, {"id": user_id, "password_hash": password_hash})


def locked_until(cur, email, max_failures, window):
    """When `email` may try again, or None when it is not locked out."""
    cur.execute(SELECT_LOCKED_UNTIL, {"email": email, "max_failures": max_failures, "window": window})
    row = cur.fetchone()
    return row["until"] if row else None


def record_failure(cur, email, client, window):
    cur.execute(DELETE_OLD_FAILURES, {"email": email, "window": window})
    cur.execute(INSERT_FAILURE, {"email": email, "client": client})


def forget_failures(cur, email):
    cur.execute(DELETE_FAILURES, {"email": email})


def insert_session(cur, session):
    cur.execute(INSERT_SESSION, session)
    return cur.fetchone()


def live_session(cur, token_hash, idle_seconds):
    cur.execute(SELECT_LIVE_SESSION, {"token_hash": token_hash, "idle": idle_seconds})
    row = cur.fetchone()
    if row:
        cur.execute(TOUCH_SESSION, {"id": row["session_id"]})
    return row


def delete_session(cur, token_hash):
    cur.execute(DELETE_SESSION, {"token_hash": token_hash})


def end_user_sessions(cur, user_id, keep=None):
    cur.execute(DELETE_USER_SESSIONS, {"user_id": user_id, "keep": keep})


def delete_expired_sessions(cur):
    cur.execute(DELETE_EXPIRED_SESSIONS)


def insert_token(cur, token):
    """The new token's row, or None when a token with that hash exists already."""
    cur.execute(INSERT_TOKEN, token)
    return cur.fetchone()


def live_token(cur, token_hash):
    cur.execute(SELECT_LIVE_TOKEN, {"token_hash": token_hash})
    row = cur.fetchone()
    if row:
        cur.execute(TOUCH_TOKEN, {"id": row["id"]})
    return row


def get_token(cur, token_id):
    cur.execute(SELECT_TOKEN, {"id": token_id})
    return cur.fetchone()


def list_tokens(cur, user_id, revoked, limit, offset):
    """Return (tokens, total) for one page."""
    cur.execute(SELECT_TOKENS_PAGE, {"user_id": user_id, "revoked": revoked, "limit": limit, "offset": offset})
    rows = cur.fetchall()
    return rows, (rows[0]["total"] if rows else 0)


def revoke_token(cur, token_id):
    cur.execute(REVOKE_TOKEN, {"id": token_id})
    return cur.fetchone()


def revoke_other_settings_tokens(cur, token_hash):
    cur.execute(REVOKE_OTHER_SETTINGS_TOKENS, {"token_hash": token_hash})
