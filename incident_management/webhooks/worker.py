"""The webhook worker: fans new events out to subscriptions, then delivers what is due, with back-off.

Every worker of every replica runs it (servicekit.background). Events are locked while they are fanned
out and each delivery is leased to one worker (repository.CLAIM_DUE_DELIVERY), so no event is sent twice
at once; a worker that dies mid-request leaves its delivery to another after the lease (at least once:
receivers drop repeats by the X-Incident-Delivery header).
"""

import logging
import random
import time

from incident_management.webhooks import repository, rules
from incident_management.webhooks.metrics import webhook_deliveries
from servicekit import background, db, outbound
from servicekit.metrics import DatabaseGauge, add_collector

log = logging.getLogger(__name__)

_EXTENSION = "incident_management.webhooks"
_PURGED = "incident_management.webhooks.purged"
SETTINGS = {
    "WEBHOOK_ALLOWED_HOSTS": "",  # names and networks webhooks may reach although not public (servicekit.outbound)
    "WEBHOOK_INTERVAL": 1.0,
    "WEBHOOK_BATCH": 20,
    "WEBHOOK_TIMEOUT": 5.0,  # connect and read, per attempt
    "WEBHOOK_MAX_ATTEMPTS": 8,
    "WEBHOOK_RETRY_BASE_SECONDS": 10.0,
    "WEBHOOK_RETRY_MAX_SECONDS": 1800.0,
    "WEBHOOK_LEASE_SECONDS": 60.0,
    # A new incident without a team may get one with its first page: its events wait that long for it.
    "WEBHOOK_TEAM_WAIT_SECONDS": 60.0,
    "WEBHOOK_LOG_DAYS": 14,
}
_PURGE_EVERY_SECONDS = 600.0


def init_app(app):
    policy = outbound.Policy.from_setting(app.config.get(outbound.SETTING, ""))
    app.extensions[_EXTENSION] = outbound.Client(policy)
    app.extensions[_PURGED] = None  # when this process last dropped old deliveries (monotonic)
    add_collector(
        app,
        DatabaseGauge(app, "webhook_deliveries_pending", "Webhook deliveries waiting", [], repository.COUNT_PENDING),
    )
    background.register(app, "webhooks", run_due, app.config["WEBHOOK_INTERVAL"])


def client(app):
    return app.extensions[_EXTENSION]


def run_due(app, now=time.time, jitter=random.random):
    """Fan out waiting events, then deliver due deliveries (a batch of each); returns how many were sent."""
    with db.get_db(app).connection() as conn:
        with db.cursor_in_transaction(conn) as cur:
            fan_out(app, cur)
        sent = 0
        while sent < app.config["WEBHOOK_BATCH"]:
            with db.cursor_in_transaction(conn) as cur:
                delivery = repository.claim_due_delivery(cur, app.config["WEBHOOK_LEASE_SECONDS"])
            if delivery is None:
                break
            outcome = attempt(app, delivery, now())
            with db.cursor_in_transaction(conn) as cur:
                record(app, cur, delivery, outcome, jitter())
            sent += 1
        purged = app.extensions[_PURGED]
        if purged is None or time.monotonic() - purged > _PURGE_EVERY_SECONDS:
            with db.cursor_in_transaction(conn) as cur:
                repository.purge_old_events(cur, int(app.config["WEBHOOK_LOG_DAYS"]))
            app.extensions[_PURGED] = time.monotonic()
    return sent


def fan_out(app, cur):
    """One delivery per matching subscription for each waiting event whose team is known (or waited for)."""
    wait = app.config["WEBHOOK_TEAM_WAIT_SECONDS"]
    for event in repository.claim_waiting_events(cur, app.config["WEBHOOK_BATCH"] * 5):
        team = event["incident_team"]
        if not team and event["paging"] and event["age"].total_seconds() < wait:
            continue  # its first page may give it a team: ask again next tick
        repository.fan_out(cur, event["id"], team or app.config["DEFAULT_TEAM"] or None)


def attempt(app, delivery, now):
    """POST one delivery; returns (success, HTTP status or None, error or None, permanent)."""
    if not delivery["enabled"] and delivery["event_type"] != rules.TEST_EVENT:  # a test may come before enabling
        return False, None, "the subscription was disabled before delivery", True
    body = rules.body(delivery | {"id": delivery["event_id"]}, app.config.get("ACTION_LINK_INCIDENT_URL", ""))
    headers = rules.headers(delivery["secret"], delivery["event_type"], delivery["id"], body, now)
    headers["User-Agent"] = "incident-platform-webhooks/1"
    try:
        answer = client(app).post(delivery["url"], body, headers, app.config["WEBHOOK_TIMEOUT"])
    except outbound.Refused as exc:  # the allow-list will not change on retry
        return False, None, f"destination refused: {exc}", True
    except outbound.TimedOut as exc:
        return False, None, f"receiver did not answer in time: {exc}", False
    except outbound.Unreachable as exc:
        return False, None, f"receiver unreachable: {exc}", False
    if 200 <= answer.status < 300:
        return True, answer.status, None, False
    described = f"receiver answered {answer.status} {answer.reason}".strip()
    return False, answer.status, described, rules.is_permanent(answer.status)


def record(app, cur, delivery, outcome, jitter):
    success, status_code, error, permanent = outcome
    event = delivery["event_type"]
    if success:
        repository.record_attempt(cur, delivery["id"], rules.DELIVERED, status_code)
        webhook_deliveries.labels(event=event, status="delivered").inc()
        return
    config = app.config
    status, delay = rules.after_failure(
        delivery["attempts"] + 1,
        config["WEBHOOK_MAX_ATTEMPTS"],
        permanent,
        config["WEBHOOK_RETRY_BASE_SECONDS"],
        config["WEBHOOK_RETRY_MAX_SECONDS"],
        jitter,
    )
    repository.record_attempt(cur, delivery["id"], status, status_code, error, delay)
    webhook_deliveries.labels(event=event, status="retrying" if status == rules.PENDING else "failed").inc()
    log.info("webhook delivery %s: %s (%s)", delivery["id"], error, status)
