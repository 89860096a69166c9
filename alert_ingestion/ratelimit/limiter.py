"""Per integration key and per client address: at most so many ingestion requests in each fixed window.

Every worker and replica claims requests from the same PostgreSQL rows, so the limits hold across all of
them: a worker claims a share of a bucket's window at a time (1/LEASE_SHARE of its limit, at least one
request; one upsert for every bucket it needs) and spends it locally, so a busy bucket costs one round trip
per share instead of one per request, and one row is not updated by every request of every worker. No
request is counted twice and the limit is never passed; what a worker claimed but did not use by the end of
the window (less than a share per worker) goes unused. A worker that has refused a bucket remembers it until
its window ends and refuses it again without asking the database, so a flood costs the database nothing more.
"""

import threading
import time

from flask import current_app

from alert_ingestion import metrics
from alert_ingestion.ratelimit import repository
from servicekit import client_address, db
from servicekit.errors import ApiError, error_body

_EXTENSION = "alert_ingestion.ratelimit"
_MAX_REMEMBERED = 10_000
LEASE_SHARE = 100  # a worker claims 1% of a limit at a time


class RateLimited(ApiError):
    """Too many requests in this window for a key or an address: 429 with Retry-After."""

    code = 429

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


class _Refusals:
    """bucket -> (monotonic time its window ends, message) for buckets this worker has refused."""

    def __init__(self):
        self._until = {}
        self._lock = threading.Lock()

    def check(self, buckets, now):
        with self._lock:
            for bucket in buckets:
                until, message = self._until.get(bucket, (0.0, None))
                if until > now:
                    raise RateLimited(message, max(1, round(until - now)))

    def remember(self, bucket, seconds, message, now):
        with self._lock:
            if len(self._until) >= _MAX_REMEMBERED:
                self._until = {b: v for b, v in self._until.items() if v[0] > now}
            self._until[bucket] = (now + seconds, message)


class _Allowances:
    """bucket -> [end of its window (epoch seconds), requests this worker has claimed and not used yet]."""

    def __init__(self):
        self._left = {}
        self._lock = threading.Lock()

    def take(self, bucket, now):
        """Use one claimed request of the bucket's current window; False when none is left."""
        with self._lock:
            entry = self._left.get(bucket)
            if entry is None or entry[0] <= now or entry[1] <= 0:
                return False
            entry[1] -= 1
            return True

    def add(self, bucket, window_end, count, now):
        with self._lock:
            if len(self._left) >= _MAX_REMEMBERED:
                self._left = {b: v for b, v in self._left.items() if v[0] > now and v[1] > 0}
            self._left[bucket] = [window_end, count]


def lease_size(limit):
    return max(1, limit // LEASE_SHARE)


def init_app(app):
    app.extensions[_EXTENSION] = {
        "refusals": _Refusals(),
        "allowances": _Allowances(),
    }

    @app.errorhandler(RateLimited)
    def refuse(error):
        return error_body(429, error.message), 429, {"Retry-After": str(error.retry_after)}


def check(key):
    """Count this request for its client address and its integration key (if any); RateLimited when over."""
    config = current_app.config
    window = config["INGEST_RATE_WINDOW_SECONDS"]
    limits = {}
    if config["INGEST_RATE_LIMIT_PER_ADDRESS"] > 0:
        address = client_address.current()
        limits[f"addr:{address}"] = (config["INGEST_RATE_LIMIT_PER_ADDRESS"], "address", f"client address {address}")
    if key is not None and config["INGEST_RATE_LIMIT_PER_KEY"] > 0:
        limits[f"key:{key['id']}"] = (config["INGEST_RATE_LIMIT_PER_KEY"], "key", f"integration key {key['name']!r}")
    if not limits or window <= 0:
        return
    state = current_app.extensions[_EXTENSION]
    state["refusals"].check(limits, time.monotonic())
    now = time.time()
    allowances = state["allowances"]
    wanted = {bucket: lease_size(rule[0]) for bucket, rule in limits.items() if not allowances.take(bucket, now)}
    if not wanted:
        return
    with db.statement() as cur:
        claims = repository.claim_requests(cur, wanted, window)
    refused = None
    for bucket, amount in wanted.items():
        limit, scope, what = limits[bucket]
        claimed, window_end, retry_after = claims[bucket]
        granted = max(0, min(amount, limit - (claimed - amount)))
        if granted:
            allowances.add(bucket, window_end, granted - 1, now)  # this request takes one
        elif refused is None:
            message = f"rate limit exceeded: {what} may send {limit} requests per {window:g} seconds"
            state["refusals"].remember(bucket, retry_after, message, time.monotonic())
            metrics.ingest_rate_limited.labels(scope=scope).inc()
            refused = RateLimited(f"{message}; retry in {retry_after} s", retry_after)
    if refused is not None:
        raise refused


def delete_old_windows(app):
    """Background job: drop the counters of windows that are over."""
    with db.get_db(app).connection() as conn, db.cursor_in_transaction(conn) as cur:
        return repository.delete_old_windows(cur, app.config["INGEST_RATE_WINDOW_SECONDS"])
