"""Integration key material: `ipk_` and 256 random bits, shown once, kept only as a SHA-256 digest.

A plain digest is enough for a random key (unlike a password there is nothing to guess), and it lets a key be
found by an indexed lookup instead of a slow hash per stored key.
"""

import hashlib
import re
import secrets

PREFIX = "ipk_"
_RANDOM_BYTES = 32
# What token_urlsafe produces after the prefix: URL-safe base64 without padding.
_SHAPE = re.compile(r"^ipk_[A-Za-z0-9_-]{20,100}$")
SHOWN_PREFIX_LENGTH = len(PREFIX) + 6


def generate():
    """A new key, e.g. `ipk_Jm3...`: give it to the source once, store only its digest."""
    return PREFIX + secrets.token_urlsafe(_RANDOM_BYTES)


def digest(key):
    return hashlib.sha256(key.encode()).digest()


def shown_prefix(key):
    """The first characters of a key, to recognise it in lists without revealing it."""
    return key[:SHOWN_PREFIX_LENGTH]


def looks_like_key(value):
    return bool(_SHAPE.match(value))
