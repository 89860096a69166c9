"""Checking the integration key of an ingestion request, with a short per-process cache.

A key is looked up by its digest at most once per INGEST_KEY_CACHE_SECONDS (default 5) in each worker, so
the alert path adds no database round trip per alert, and a revoked key stops working everywhere within
that many seconds (at once in the worker that revoked it).
"""

import threading
import time

from flask import current_app, request

from alert_ingestion.keys import repository, tokens
from servicekit import db
from servicekit.errors import ApiError, error_body

_CACHE = "alert_ingestion.key_cache"
HOW_TO_SEND = "send Authorization: Bearer <integration key> (keys start with ipk_)"


class KeyRefused(ApiError):
    """No key where one is required, or a key that is unknown, malformed or revoked: 401."""

    code = 401


class KeyCache:
    """digest -> (expires at, key record or None for an unknown key), bounded in size."""

    def __init__(self, seconds, max_entries=10_000):
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries = {}
        self._lock = threading.Lock()

    def get(self, key_digest, now):
        with self._lock:
            entry = self._entries.get(key_digest)
        if entry is None or entry[0] <= now:
            return False, None
        return True, entry[1]

    def put(self, key_digest, record, now):
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries = {d: e for d, e in self._entries.items() if e[0] > now}
                if len(self._entries) >= self.max_entries:  # a flood of distinct keys: start afresh
                    self._entries = {}
            self._entries[key_digest] = (now + self.seconds, record)

    def forget(self, key_id):
        """Drop a key (revoked or changed here) so this worker sees the change at once."""
        with self._lock:
            self._entries = {d: e for d, e in self._entries.items() if not e[1] or e[1]["id"] != key_id}


def init_app(app):
    app.extensions[_CACHE] = KeyCache(app.config["INGEST_KEY_CACHE_SECONDS"])

    @app.errorhandler(KeyRefused)
    def refuse(error):
        return error_body(401, error.message), 401, {"WWW-Authenticate": 'Bearer realm="alert ingestion"'}


def forget(key_id):
    current_app.extensions[_CACHE].forget(key_id)


def presented_key():
    """The key of the request's Authorization header (Bearer, or Basic with the key as password), or None."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if scheme.lower() == "basic" and request.authorization and request.authorization.password:
        return request.authorization.password
    raise KeyRefused(f"unsupported Authorization header: {HOW_TO_SEND}")


def verify(key):
    """The active key record for `key`, or KeyRefused saying why not."""
    if not tokens.looks_like_key(key):
        raise KeyRefused(f"not an integration key: {HOW_TO_SEND}")
    key_digest = tokens.digest(key)
    cache = current_app.extensions[_CACHE]
    now = time.monotonic()
    found, record = cache.get(key_digest, now)
    if not found:
        with db.transaction() as cur:
            record = repository.find_by_digest(cur, key_digest)
        cache.put(key_digest, record, now)
    if record is None:
        raise KeyRefused("unknown integration key: check it was copied whole, or ask an admin for a new one")
    if record["revoked_at"] is not None:
        raise KeyRefused(f"integration key {record['name']!r} ({record['prefix']}...) has been revoked")
    return record


def authenticate():
    """The request's verified key; None when it sent none and INGEST_REQUIRE_KEY is off."""
    key = presented_key()
    if key is None:
        if current_app.config["INGEST_REQUIRE_KEY"]:
            raise KeyRefused(f"an integration key is required: {HOW_TO_SEND}")
        return None
    return verify(key)
