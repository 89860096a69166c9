"""Periodic jobs that run beside the web workers (outbox relay, escalation timer).

Each gunicorn worker runs every job in a daemon thread; jobs must therefore be
safe to run concurrently, which they make sure of with database locks.
"""

import logging
import threading

log = logging.getLogger(__name__)

_EXTENSION = "servicekit.jobs"


def register(app, name, func, interval_seconds):
    """Run `func(app)` every `interval_seconds` once `start(app)` is called."""
    app.extensions.setdefault(_EXTENSION, []).append((name, func, interval_seconds))


def start(app):
    """Start the app's jobs unless BACKGROUND_JOBS is off; returns a stop function."""
    stop_event = threading.Event()
    if not app.config.get("BACKGROUND_JOBS", True):
        return stop_event.set
    for name, func, interval in app.extensions.get(_EXTENSION, []):
        thread = threading.Thread(target=_loop, args=(app, name, func, interval, stop_event), name=name, daemon=True)
        thread.start()
    return stop_event.set


def _loop(app, name, func, interval, stop_event):
    log.info("background job %s started (every %ss)", name, interval)
    while not stop_event.wait(interval):
        try:
            with app.app_context():
                func(app)
        except Exception:  # keep the loop alive; the next tick retries
            log.exception("background job %s failed", name)
