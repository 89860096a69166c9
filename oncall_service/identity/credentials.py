"""Random credential values and the hashes they are stored and looked up by.

Values are 256 bits from `secrets`; one SHA-256 of such a value is what is stored (no salt or slow hash
needed: nobody can guess a 256-bit value, unlike a password).
"""

import hashlib
import secrets

TOKEN_PREFIX = "ipt_"  # noqa: S105 (not a secret)


def digest(value):
    return hashlib.sha256(value.encode()).hexdigest()


def new_session_value():
    return secrets.token_urlsafe(32)


def new_csrf_token():
    return secrets.token_urlsafe(32)


def new_api_token():
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def display_prefix(token):
    """What lists show of a token: `ipt_` and its first 6 characters."""
    return token[: len(TOKEN_PREFIX) + 6] if token.startswith(TOKEN_PREFIX) else token[:6]
