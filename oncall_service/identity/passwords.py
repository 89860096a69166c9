"""Password hashes: argon2id from argon2-cffi (its RFC 9106 low-memory profile's defaults)."""

import argon2

_HASHER = argon2.PasswordHasher()
# Checked against when the e-mail is unknown, so that a wrong address takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password anyone has")


def hash_password(password):
    return _HASHER.hash(password)


def verify(password_hash, password):
    """True when `password` matches `password_hash` (None: no password set, always False)."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


def needs_rehash(password_hash):
    """The hash was made with weaker parameters than today's: store a new one at the next sign-in."""
    return _HASHER.check_needs_rehash(password_hash)
