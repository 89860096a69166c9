"""Whether an alert falls in a maintenance window, decided from a per-worker cache of the windows.

The alert path adds no database round trip: each worker keeps the windows and reads them again when told
that one changed (PostgreSQL's notice on `maintenance_windows`, heard by a listener thread, and at once in
the worker that made the change). Every MAINTENANCE_CACHE_SECONDS (default 5) it reads them anyway, so a
worker whose listener is down (the database restarting) is at most that late.
"""

import datetime as dt
import threading
import time

from flask import current_app

from alert_ingestion import metrics
from alert_ingestion.maintenance import repository, windows
from alert_ingestion.repository import alert_params
from servicekit import db
from servicekit.listener import Listener

_CACHE = "alert_ingestion.maintenance_cache"
CHANNEL = "maintenance_windows"


class WindowCache:
    def __init__(self, seconds, dsn):
        self.seconds = seconds
        self._lock = threading.Lock()
        # One thread reads the windows again while the others wait for its answer: each of them already holds
        # its request's connection, and all taking a second one at once could empty the pool.
        self._reading = threading.Lock()
        self._expires, self._windows = 0.0, []
        # Bumped by every change heard of: a read that began before it does not count as fresh.
        self._generation = 0
        # Read again on a notice, and on a reconnection (notices may have been missed meanwhile).
        self._listener = Listener(
            dsn, CHANNEL, lambda _payload: self.forget(), self.forget, "alert-ingestion-maintenance"
        )

    def get(self, app):
        with self._lock:
            if time.monotonic() < self._expires:
                return self._windows
        with self._reading:
            with self._lock:
                if time.monotonic() < self._expires:  # read by the thread we waited for
                    return self._windows
                generation = self._generation
            self._listener.start()  # in the worker (after gunicorn forks), when reading: not on every alert
            now = time.monotonic()
            with db.get_db(app).connection() as conn, db.cursor_autocommit(conn) as cur:
                found = repository.current_windows(cur)
            with self._lock:
                self._windows = found
                if generation == self._generation:
                    self._expires = now + self.seconds
        return found

    def forget(self):
        with self._lock:
            self._generation += 1
            self._expires = 0.0


def init_app(app):
    app.extensions[_CACHE] = WindowCache(app.config["MAINTENANCE_CACHE_SECONDS"], app.config["DATABASE_URL"])


def forget():
    """A window changed in this worker: read them again before the next alert."""
    current_app.extensions[_CACHE].forget()


def window_for(alert):
    """The maintenance window on now that covers the alert (by its service and `team` label), or None."""
    return covering(current_app._get_current_object(), alert["service"], (alert.get("labels") or {}).get("team"))


def covering(app, service, team):
    """The maintenance window on now for this service and team, or None (a late heartbeat monitor asks too)."""
    return windows.suppressing(app.extensions[_CACHE].get(app), service, team, dt.datetime.now(dt.UTC))


def store_suppressed(alert, source, window, integration_key_id):
    """Store the alert as suppressed by `window` (no outbox entry: no incident, no page); returns its id."""
    with db.statement() as cur:
        stored = repository.insert_suppressed_alert(cur, alert_params(alert, source, integration_key_id), window["id"])
    metrics.alerts_suppressed.labels(source=source).inc()
    return stored["id"]
