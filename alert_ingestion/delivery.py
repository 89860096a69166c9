"""Handing stored alerts to incident management: at once when it answers, later from the outbox."""

import contextlib
import logging
import threading
import zlib

import requests
from flask import current_app

from alert_ingestion import metrics, repository
from alert_ingestion.handoff import HandOff, Later
from servicekit import db
from servicekit.http import ServiceClient

log = logging.getLogger(__name__)

_CLIENT = "alert_ingestion.incidents"
_ACKS = "alert_ingestion.outbox_acks"
_HANDOFF = "alert_ingestion.handoff"
_LATER = "alert_ingestion.handoff_later"


class DeliveryFailed(Exception):
    """Incident management did not take the alert (down, slow, or answered an error)."""


class OutboxAcks:
    """Outbox entries of alerts incident management has: noted and deleted in batches, off the request path.

    Losing a batch in a crash costs one redelivery per alert, which attaching makes harmless.
    """

    def __init__(self):
        self._acks = []
        self._lock = threading.Lock()

    def add(self, alert_id, answer):
        with self._lock:
            self._acks.append((alert_id, answer["incident_id"], answer["result"]))

    def flush(self, app):
        with self._lock:
            acks, self._acks = self._acks, []
        if acks:
            with db.get_db(app).connection() as conn, db.cursor_in_transaction(conn) as cur:
                repository.acknowledge_outbox(cur, acks)


def init_app(app):
    app.extensions[_CLIENT] = ServiceClient(
        app.config["INCIDENT_MANAGEMENT_URL"],
        timeout=(app.config["INCIDENT_MANAGEMENT_CONNECT_TIMEOUT"], app.config["INCIDENT_MANAGEMENT_TIMEOUT"]),
        retries=1,
    )
    app.extensions[_ACKS] = OutboxAcks()
    app.extensions[_HANDOFF] = HandOff(
        lambda alerts: _deliver_batch(app, alerts),
        max_batch=app.config["HANDOFF_MAX_BATCH"],
        max_calls=app.config["HANDOFF_MAX_CALLS"],
    )
    app.extensions[_LATER] = Later(
        lambda shard, alerts: _deliver_shard_batch(app, shard, alerts),
        shard_of=lambda alert: zlib.crc32(f"{alert['service']}/{alert['severity']}".encode()),
        shards=app.config["OUTBOX_RELAY_SHARDS"],
        max_batch=app.config["HANDOFF_LATER_MAX_BATCH"],
        max_waiting=app.config["HANDOFF_LATER_MAX_WAITING"],
    )


def flush_acks(app):
    app.extensions[_ACKS].flush(app)


def _body(alert):
    """What incident management needs of a stored alert to correlate it."""
    return {
        "alert_id": str(alert["id"]),
        "service": alert["service"],
        "severity": alert["severity"],
        "message": alert["message"],
        "labels": alert["labels"],
        "links": alert.get("links") or [],
        "images": alert.get("images") or [],
        "timestamp": alert["occurred_at"].isoformat(),
        "source": alert["source"],
        "received_at": alert["received_at"].isoformat(),
    }


def _post(app, path, body):
    try:
        return app.extensions[_CLIENT].post_json(path, body)
    except requests.RequestException as exc:
        raise DeliveryFailed(f"incident management unreachable: {str(exc)[:300]}") from exc


def attach(app, alert):
    """Ask incident management to correlate the alert; returns {incident_id, result}.

    Incident management attaches an alert at most once, so repeating this after
    a lost answer is safe (at-least-once delivery, made idempotent there).
    """
    status, answer = _post(app, "/api/v1/incidents/alerts", _body(alert))
    if status not in (200, 201) or not answer:
        raise DeliveryFailed(f"incident management answered {status}: {str(answer)[:200]}")
    if answer["result"] != "held":  # a held alert is not in an incident (yet)
        metrics.alerts_correlated.labels(result=answer["result"]).inc()
    return answer


def attach_batch(app, alerts, path="request"):
    """Correlate several alerts in one call and one transaction there; their answers, in order.

    A batch refused as a whole with a 4xx (one alert it cannot take) is delivered alert by alert, so that
    one bad alert does not hold back the others.
    """
    metrics.alert_handoff_batch.labels(path=path).observe(len(alerts))
    if len(alerts) == 1:
        return [attach(app, alerts[0])]
    status, answer = _post(app, "/api/v1/incidents/alerts/batch", {"alerts": [_body(alert) for alert in alerts]})
    if 400 <= status < 500:
        log.warning("incident management refused a batch of %d (%s): delivering one by one", len(alerts), status)
        return [_attach_or_none(app, alert) for alert in alerts]
    if status != 200 or not answer:
        raise DeliveryFailed(f"incident management answered {status}: {str(answer)[:200]}")
    for attached in answer["attachments"]:
        if attached["result"] != "held":  # a held alert is not in an incident (yet)
            metrics.alerts_correlated.labels(result=attached["result"]).inc()
    return answer["attachments"]


def _attach_or_none(app, alert):
    try:
        return attach(app, alert)
    except DeliveryFailed as exc:
        log.warning("alert %s stays in the outbox: %s", alert["id"], exc)
        return None


def deliver_now(alert):
    """Try once, inside the request, in a batch with concurrent requests' alerts (alert_ingestion/handoff.py);
    on success the alert leaves the outbox (in the next batch of acknowledgements)."""
    return current_app.extensions[_HANDOFF].deliver(alert)


def deliver(app, alert):
    """Try once, alone; the answer {incident_id, result}, or None when the alert stays in the outbox."""
    return _deliver_batch(app, [alert])[0]


def _deliver_shard_batch(app, shard, alerts):
    """A batch of one shard of the keys, while no other worker or replica hands over that shard's: batches
    of one shard would wait on each other's correlation locks in incident management, each holding its
    other keys' locks meanwhile (a convoy); this waits in one place, holding nothing there."""
    with db.get_db(app).connection() as conn:
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                repository.lock_handoff_shard(cur, shard)
            try:
                _deliver_batch(app, alerts, path="later")
            finally:
                with conn.cursor() as cur:
                    repository.unlock_handoff_shard(cur, shard)
        finally:
            conn.autocommit = False


def _deliver_batch(app, alerts, path="request"):
    """Try once; per alert its answer, or None when it stays in the outbox for the relay. Never raises."""
    try:
        answers = attach_batch(app, alerts, path)
    except DeliveryFailed as exc:
        metrics.alert_deliveries_failed.labels(path=path).inc(len(alerts))
        log.warning("%d alerts stay in the outbox: %s", len(alerts), exc)
        return [None] * len(alerts)
    for alert, answer in zip(alerts, answers, strict=True):
        if answer is not None:
            app.extensions[_ACKS].add(alert["id"], answer)
    if not app.config["BACKGROUND_JOBS"]:  # nobody flushes batches: do it now
        flush_acks(app)
    return answers


def room_for_later(count=1):
    """Around storing alerts for deliver_later: first wait while this worker's hand-off is full
    (back-pressure, before the alerts are stored: the time to attach starts there)."""
    if not current_app.config["BACKGROUND_JOBS"]:
        return contextlib.nullcontext()
    return current_app.extensions[_LATER].reserved(count)


def deliver_later(alerts):
    """Stored alerts already answered (202): hand them over right after this request, in batches, from a
    thread of this worker (or now, when the app runs no background jobs); the relay is the safety net."""
    app = current_app._get_current_object()
    if app.config["BACKGROUND_JOBS"]:
        app.extensions[_LATER].add(alerts)
    else:
        _deliver_batch(app, alerts, path="later")


def relay_outbox(app, batch_size=100, max_rounds=20):
    """Deliver due outbox entries in batches, one call per batch, shard by shard (those no other worker or
    replica is relaying), until none are due (or max_rounds per shard)."""
    delivered = 0
    shards = app.config["OUTBOX_RELAY_SHARDS"]
    for shard in range(shards):
        for _ in range(max_rounds):
            count, more = _relay_batch(app, batch_size, shard, shards)
            delivered += count
            if not more:
                break
    return delivered


def _relay_batch(app, batch_size, shard, shards):
    """One claimed batch of a shard: (alerts delivered, whether more may be due); the rows stay locked
    while they are delivered, so other workers and replicas skip them."""
    with db.get_db(app).connection() as conn, db.cursor_in_transaction(conn) as cur:
        if not repository.lock_relay_shard(cur, shard):
            return 0, False
        due = repository.claim_due_outbox(cur, batch_size, shard, shards)
        if not due:
            return 0, False
        try:
            answers = attach_batch(app, due, path="relay")
        except DeliveryFailed as exc:
            metrics.alert_deliveries_failed.labels(path="relay").inc(len(due))
            # Incident management is unhealthy: back off the whole batch rather than hammer it.
            for waiting in due:
                repository.reschedule_outbox(cur, waiting["id"], str(exc), app.config["OUTBOX_MAX_BACKOFF"])
            log.warning("outbox relay paused, %d alerts rescheduled: %s", len(due), exc)
            return 0, False
        acks = [(alert["id"], a["incident_id"], a["result"]) for alert, a in zip(due, answers, strict=True) if a]
        for alert, answer in zip(due, answers, strict=True):
            if answer is None:  # refused alone: try it again later
                repository.reschedule_outbox(
                    cur, alert["id"], "refused by incident management", app.config["OUTBOX_MAX_BACKOFF"]
                )
        if acks:
            repository.acknowledge_outbox(cur, acks)
        log.info("relayed %d alerts to incident management", len(acks))
        return len(acks), len(due) == batch_size and len(acks) == len(due)
