"""SQL of integration keys. Functions take a cursor and never commit."""

from psycopg2.extras import Json

from servicekit.params import fetch_page

KEY_COLUMNS = """
    k.id, k.name, k.source, k.service, k.team, k.prefix, k.created_by, k.created_at, k.revoked_by, k.revoked_at,
    k.signing_secret, k.signature_header, k.signature_timestamp_header, k.mapping
"""
# What a key may be given (beside its digest); each may be set to null again, except name and source.
SETTABLE = ("service", "team", "signing_secret", "signature_header", "signature_timestamp_header", "mapping")

# Store a new key (its digest only).
INSERT_KEY = f"""
INSERT INTO integration_keys AS k (name, source, service, team, key_digest, prefix, created_by, signing_secret,
                                   signature_header, signature_timestamp_header, mapping)
VALUES (%(name)s, %(source)s, %(service)s, %(team)s, %(key_digest)s, %(prefix)s, %(created_by)s,
        %(signing_secret)s, %(signature_header)s, %(signature_timestamp_header)s, %(mapping)s)
RETURNING {KEY_COLUMNS}
"""

# A page of keys, newest first, each with when it last sent an alert (from the alerts' own index).
SELECT_KEYS_PAGE = f"""
SELECT {KEY_COLUMNS}, last.received_at AS last_alert_at, count(*) OVER () AS total
FROM integration_keys k
LEFT JOIN LATERAL (
    SELECT a.received_at FROM alerts a WHERE a.integration_key_id = k.id ORDER BY a.received_at DESC LIMIT 1
) last ON true
WHERE (%(revoked)s::boolean IS NULL OR (k.revoked_at IS NOT NULL) = %(revoked)s)
ORDER BY k.created_at DESC, k.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# One key with when it last sent an alert.
SELECT_KEY = f"""
SELECT {KEY_COLUMNS}, last.received_at AS last_alert_at
FROM integration_keys k
LEFT JOIN LATERAL (
    SELECT a.received_at FROM alerts a WHERE a.integration_key_id = k.id ORDER BY a.received_at DESC LIMIT 1
) last ON true
WHERE k.id = %(id)s
"""

# The key a source sent, found by its digest; revoked keys are returned too, to say so.
SELECT_KEY_BY_DIGEST = f"""
SELECT {KEY_COLUMNS}
FROM integration_keys k
WHERE k.key_digest = %(key_digest)s
"""

# Change what a key names (not the key itself); a revoked key cannot be changed.
UPDATE_KEY = f"""
UPDATE integration_keys k
SET name = COALESCE(%(name)s, k.name),
    source = COALESCE(%(source)s, k.source),
    service = CASE WHEN %(set_service)s THEN %(service)s ELSE k.service END,
    team = CASE WHEN %(set_team)s THEN %(team)s ELSE k.team END,
    signing_secret = CASE WHEN %(set_signing_secret)s THEN %(signing_secret)s ELSE k.signing_secret END,
    signature_header = CASE WHEN %(set_signature_header)s THEN %(signature_header)s ELSE k.signature_header END,
    signature_timestamp_header = CASE WHEN %(set_signature_timestamp_header)s
        THEN %(signature_timestamp_header)s ELSE k.signature_timestamp_header END,
    mapping = CASE WHEN %(set_mapping)s THEN %(mapping)s ELSE k.mapping END
WHERE k.id = %(id)s AND k.revoked_at IS NULL
RETURNING {KEY_COLUMNS}
"""

# Revoke a key once; revoking it again changes nothing.
REVOKE_KEY = f"""
UPDATE integration_keys k
SET revoked_at = now(), revoked_by = %(revoked_by)s
WHERE k.id = %(id)s AND k.revoked_at IS NULL
RETURNING {KEY_COLUMNS}
"""


def insert_key(cur, fields, key_digest, prefix):
    params = {name: fields.get(name) for name in ("name", "source", "created_by", *SETTABLE)}
    params["mapping"] = _json_or_none(params["mapping"])
    cur.execute(INSERT_KEY, {**params, "key_digest": key_digest, "prefix": prefix})
    return cur.fetchone()


def list_keys(cur, revoked, limit, offset):
    """Return (keys, total) for one page; `revoked` None lists all."""
    cur.execute(SELECT_KEYS_PAGE, {"revoked": revoked, "limit": limit, "offset": offset})
    return fetch_page(cur)


def get_key(cur, key_id):
    cur.execute(SELECT_KEY, {"id": key_id})
    return cur.fetchone()


def find_by_digest(cur, key_digest):
    cur.execute(SELECT_KEY_BY_DIGEST, {"key_digest": key_digest})
    return cur.fetchone()


def update_key(cur, key_id, changes):
    """Apply `changes` (name, source and the SETTABLE ones, which may be set to None); None if not changeable."""
    params = {"id": key_id, "name": changes.get("name"), "source": changes.get("source")}
    for name in SETTABLE:
        params[name] = changes.get(name)
        params[f"set_{name}"] = name in changes
    params["mapping"] = _json_or_none(params["mapping"])
    cur.execute(UPDATE_KEY, params)
    return cur.fetchone()


def revoke_key(cur, key_id, revoked_by):
    """Revoke the key; None when it is unknown or already revoked."""
    cur.execute(REVOKE_KEY, {"id": key_id, "revoked_by": revoked_by})
    return cur.fetchone()


def _json_or_none(value):
    return None if value is None else Json(value)
