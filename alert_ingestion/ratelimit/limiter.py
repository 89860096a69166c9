"""Per integration key and per client address: at most so many ingestion requests in each fixed window.

Every worker and replica counts in the same PostgreSQL rows (one upsert per request for both buckets), so
the limits hold across all of them. A worker that has refused a bucket remembers it until its window ends and
refuses it again without asking the database, so a flood costs the database nothing more.
"""

import threading
import time

from flask import current_app, request

from alert_ingestion import metrics
from alert_ingestion.ratelimit import addresses, repository
from servicekit import db
from servicekit.errors import ApiError, error_body

_EXTENSION = "alert_ingestion.ratelimit"
_MAX_REMEMBERED = 10_000


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


def init_app(app):
    app.extensions[_EXTENSION] = {
        "proxies": addresses.TrustedProxies(app.config["TRUSTED_PROXIES"]),
        "refusals": _Refusals(),
    }

    @app.errorhandler(RateLimited)
    def refuse(error):
        return error_body(429, error.message), 429, {"Retry-After": str(error.retry_after)}


def client_address():
    proxies = current_app.extensions[_EXTENSION]["proxies"]
    return addresses.client_address(request.remote_addr, request.headers.get("X-Forwarded-For"), proxies)


def check(key):
    """Count this request for its client address and its integration key (if any); RateLimited when over."""
    config = current_app.config
    window = config["INGEST_RATE_WINDOW_SECONDS"]
    limits = {}
    if config["INGEST_RATE_LIMIT_PER_ADDRESS"] > 0:
        address = client_address()
        limits[f"addr:{address}"] = (config["INGEST_RATE_LIMIT_PER_ADDRESS"], "address", f"client address {address}")
    if key is not None and config["INGEST_RATE_LIMIT_PER_KEY"] > 0:
        limits[f"key:{key['id']}"] = (config["INGEST_RATE_LIMIT_PER_KEY"], "key", f"integration key {key['name']!r}")
    if not limits or window <= 0:
        return
    refusals = current_app.extensions[_EXTENSION]["refusals"]
    refusals.check(limits, time.monotonic())
    with db.statement() as cur:
        counts = repository.count_request(cur, list(limits), window)
    for bucket, (limit, scope, what) in limits.items():
        hits, retry_after = counts[bucket]
        if hits > limit:
            message = f"rate limit exceeded: {what} may send {limit} requests per {window:g} seconds"
            refusals.remember(bucket, retry_after, message, time.monotonic())
            metrics.ingest_rate_limited.labels(scope=scope).inc()
            raise RateLimited(f"{message}; retry in {retry_after} s", retry_after)


def delete_old_windows(app):
    """Background job: drop the counters of windows that are over."""
    with db.get_db(app).connection() as conn, db.cursor_in_transaction(conn) as cur:
        return repository.delete_old_windows(cur, app.config["INGEST_RATE_WINDOW_SECONDS"])
