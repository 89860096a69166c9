"""SQL of contact method verification: whether a method is verified, and the code sent to prove it."""

# How answers show a method's address (None: as it is).
SET_SHOWN = "UPDATE contact_methods SET address_shown = %(shown)s WHERE id = %(id)s"

# A new or changed Apprise method is unverified until its code comes back (the others stay verified).
MARK_UNVERIFIED = """
UPDATE contact_methods
SET verified_at = NULL, verification_digest = NULL, verification_expires_at = NULL, verification_failures = 0
WHERE id = %(id)s
RETURNING verified_at
"""

# A code was sent: keep its digest and until when it holds; earlier codes stop holding.
STORE_CODE = """
UPDATE contact_methods
SET verification_digest = %(digest)s, verification_failures = 0,
    verification_expires_at = now() + make_interval(secs => %(valid_seconds)s)
WHERE id = %(id)s AND user_id = %(user_id)s
RETURNING verification_expires_at
"""

# The method's verification state, locked while a code is checked (two tries at once count twice).
SELECT_VERIFICATION_FOR_UPDATE = """
SELECT verified_at, verification_digest, verification_failures,
       verification_expires_at IS NOT NULL AND verification_expires_at <= now() AS expired
FROM contact_methods WHERE id = %(id)s AND user_id = %(user_id)s
FOR UPDATE
"""

# One more wrong code.
COUNT_FAILURE = "UPDATE contact_methods SET verification_failures = verification_failures + 1 WHERE id = %(id)s"

# The right code: verified, and the code is spent.
MARK_VERIFIED = """
UPDATE contact_methods
SET verified_at = now(), verification_digest = NULL, verification_expires_at = NULL, verification_failures = 0
WHERE id = %(id)s
"""


def set_shown(cur, method_id, shown):
    cur.execute(SET_SHOWN, {"id": method_id, "shown": shown})


def mark_unverified(cur, method_id):
    cur.execute(MARK_UNVERIFIED, {"id": method_id})


def store_code(cur, user_id, method_id, digest, valid_seconds):
    cur.execute(STORE_CODE, {"id": method_id, "user_id": user_id, "digest": digest, "valid_seconds": valid_seconds})
    return cur.fetchone()["verification_expires_at"]


def lock_verification(cur, user_id, method_id):
    cur.execute(SELECT_VERIFICATION_FOR_UPDATE, {"id": method_id, "user_id": user_id})
    return cur.fetchone()


def count_failure(cur, method_id):
    cur.execute(COUNT_FAILURE, {"id": method_id})


def mark_verified(cur, method_id):
    cur.execute(MARK_VERIFIED, {"id": method_id})
