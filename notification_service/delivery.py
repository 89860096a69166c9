"""Delivering notifications: stored first, tried once in the request, then retried by the relay.

A notification row is committed before any attempt, so a crash never loses it.
Each attempt holds the row's lock (FOR UPDATE) and records its outcome in the
same transaction, so that no other worker or replica attempts it at the same
time; delivery is at least once (a crash between sending and committing
repeats that one attempt), and receivers get a stable id to drop repeats.
"""

import logging

from flask import current_app

from notification_service import channels, hygiene, metrics, repository, retry
from servicekit import db
from servicekit.errors import Conflict

log = logging.getLogger(__name__)

# A repeat of a dedup key must ask for the same delivery; anything else is a caller's mistake.
_SAME_REQUEST_FIELDS = ("incident_id", "channel", "recipient")
_LIMITS = "notification_service.rate_limits"


def init_app(app):
    app.extensions[_LIMITS] = hygiene.parse_limits(app.config.get(hygiene.SETTING, ""))


def submit(request):
    """Store a validated notification and try it at once; returns (notification, HTTP status)."""
    app = current_app._get_current_object()
    # The incident id is incident management's: taken as given, never looked up in its tables.
    with db.transaction() as cur:
        folded = _fold(app, cur, request)
        if folded is not None:
            return folded, 200
        stored = repository.insert_notification(
            cur, request, app.config["NOTIFICATION_MAX_ATTEMPTS"], app.config["NOTIFICATION_SYNC_GRACE_SECONDS"]
        )
        existing = None if stored else repository.find_by_dedup_key(cur, request["dedup_key"])
    if stored is None:
        return _repeat(existing, request), 200
    notification = deliver_now(app, stored)
    return notification, 201 if notification["status"] == "sent" else 202


def _fold(app, cur, request):
    """A repeated page (same recipient and fold key, still pending or within the fold window) folds into the
    earlier one, which is answered with one more fold; None when there is nothing to fold into."""
    if not request.get("fold_key"):
        return None
    repository.lock_recipient(cur, request["recipient"], request["fold_key"])  # two repeats at once fold too
    if request.get("dedup_key") and repository.find_by_dedup_key(cur, request["dedup_key"]):
        return None  # a retry of a stored request is answered as such, not folded
    target = repository.fold_target(
        cur, request["recipient"], request["fold_key"], app.config["NOTIFICATION_FOLD_SECONDS"]
    )
    if target is None:
        return None
    log.info(
        "notification for %s folded into %s (fold key %s)",
        request.get("incident_id"),
        target["id"],
        request["fold_key"],
    )
    return repository.add_fold(cur, target["id"])


def _repeat(existing, request):
    different = [field for field in _SAME_REQUEST_FIELDS if existing[field] != request[field]]
    if different:
        raise Conflict(
            f"dedup_key {request['dedup_key']!r} is already used by notification {existing['id']} "
            f"with another {', '.join(different)}",
            errors={"json": {"dedup_key": ["Already used for another notification."]}},
        )
    return existing


def deliver_now(app, notification):
    """The request's one attempt, with a short timeout; the relay takes over when it fails."""
    with db.transaction() as cur:
        locked = repository.lock_pending(cur, notification["id"])
        if locked is None:  # the relay got there first (the request was slower than the grace period)
            return repository.get_notification(cur, notification["id"])
        after = attempt(app, cur, locked, app.config["NOTIFICATION_SYNC_TIMEOUT"])
    if after["attempts"] != locked["attempts"]:  # a wait for the rate limit is no attempt
        metrics.observe_attempt(after)
    return after


def relay_pending(app, limit=None):
    """Background job: attempt due pending notifications, one transaction each; returns how many."""
    limit = limit or app.config["NOTIFICATION_RELAY_BATCH"]
    timeout = app.config["NOTIFICATION_RELAY_TIMEOUT"]
    done = 0
    with db.get_db(app).connection() as conn:
        while done < limit:
            with db.cursor_in_transaction(conn) as cur:
                due = repository.claim_due(cur)
                if due is None:
                    break
                after = attempt(app, cur, due, timeout)
            if after["attempts"] != due["attempts"]:
                metrics.observe_attempt(after)
            done += 1
    return done


def attempt(app, cur, notification, timeout):
    """Send a locked pending notification once and record the outcome; returns the updated row.

    A notification over its contact method's rate limit is not sent: it waits, and no attempt is counted.
    """
    waiting = _rate_limited(app, cur, notification)
    if waiting is not None:
        return waiting
    try:
        channels.send(app, notification, timeout)
    except channels.DeliveryError as exc:
        error, permanent = str(exc), exc.permanent
    except Exception as exc:  # a fault in a channel must not lose the notification: it is retried
        log.exception("notification %s: unexpected error in channel %s", notification["id"], notification["channel"])
        error, permanent = f"internal error: {type(exc).__name__}", False
    else:
        log.info("notification %s sent via %s", notification["id"], notification["channel"])
        return repository.mark_sent(cur, notification["id"])

    config = app.config
    attempts = notification["attempts"] + 1
    state, delay = retry.after_failure(
        attempts,
        notification["max_attempts"],
        permanent,
        config["NOTIFICATION_RETRY_BASE_SECONDS"],
        config["NOTIFICATION_RETRY_MAX_SECONDS"],
    )
    if state == retry.FAILED:
        log.warning(
            "notification %s via %s failed after %d attempt(s): %s",
            notification["id"],
            notification["channel"],
            attempts,
            error,
        )
        return repository.mark_failed(cur, notification["id"], error)
    log.info("notification %s attempt %d failed, next in %.0fs: %s", notification["id"], attempts, delay, error)
    return repository.reschedule(cur, notification["id"], error, delay)


def _rate_limited(app, cur, notification):
    """The deferred row when the recipient's rate limit holds this one back, else None (it may go now)."""
    kind = hygiene.kind_of(notification["channel"], notification["recipient"])
    limit = app.extensions[_LIMITS].get(kind)
    if limit is None:
        return None
    repository.lock_recipient(cur, notification["recipient"])  # sends to one recipient go one at a time
    wait = hygiene.wait_seconds(limit, repository.recent_send_ages(cur, notification["recipient"], limit.seconds))
    if wait <= 0:
        return None
    reason = f"rate limited: at most {limit.count} {kind} per {limit.seconds:g} s to this contact method"
    log.info("notification %s waits %.0f s: %s", notification["id"], wait, reason)
    return repository.defer(cur, notification["id"], reason, wait)
