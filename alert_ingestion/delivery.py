"""Handing stored alerts to incident management: at once when it answers, later from the outbox."""

import logging
import threading

import requests
from flask import current_app

from alert_ingestion import metrics, repository
from servicekit import db
from servicekit.http import ServiceClient

log = logging.getLogger(__name__)

_CLIENT = "alert_ingestion.incidents"
_ACKS = "alert_ingestion.outbox_acks"


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


def flush_acks(app):
    app.extensions[_ACKS].flush(app)


def attach(app, alert):
    """Ask incident management to correlate the alert; returns {incident_id, result}.

    Incident management attaches an alert at most once, so repeating this after
    a lost answer is safe (at-least-once delivery, made idempotent there).
    """
    body = {
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
    try:
        status, answer = app.extensions[_CLIENT].post_json("/api/v1/incidents/alerts", body)
    except requests.RequestException as exc:
        raise DeliveryFailed(f"incident management unreachable: {str(exc)[:300]}") from exc
    if status not in (200, 201) or not answer:
        raise DeliveryFailed(f"incident management answered {status}: {str(answer)[:200]}")
    if answer["result"] != "held":  # a held alert is not in an incident (yet)
        metrics.alerts_correlated.labels(result=answer["result"]).inc()
    return answer


def deliver_now(alert):
    """Try once, inside the request; on success the alert leaves the outbox (in the next batch)."""
    return deliver(current_app._get_current_object(), alert)


def deliver(app, alert):
    """Try once; the answer {incident_id, result}, or None when the alert stays in the outbox for the relay."""
    try:
        answer = attach(app, alert)
    except DeliveryFailed as exc:
        metrics.alert_deliveries_failed.labels(path="request").inc()
        log.warning("alert %s stays in the outbox: %s", alert["id"], exc)
        return None
    app.extensions[_ACKS].add(alert["id"], answer)
    if not app.config["BACKGROUND_JOBS"]:  # nobody flushes batches: do it now
        flush_acks(app)
    return answer


def relay_outbox(app, batch_size=50):
    """Deliver due outbox entries; the rows stay locked so that other workers skip them."""
    with db.get_db(app).connection() as conn, db.cursor_in_transaction(conn) as cur:
        due = repository.claim_due_outbox(cur, batch_size)
        for position, alert in enumerate(due):
            try:
                answer = attach(app, alert)
            except DeliveryFailed as exc:
                metrics.alert_deliveries_failed.labels(path="relay").inc()
                # Incident management is unhealthy: do not hammer it with the rest of the batch.
                for waiting in due[position:]:
                    repository.reschedule_outbox(cur, waiting["id"], str(exc), app.config["OUTBOX_MAX_BACKOFF"])
                log.warning("outbox relay paused after %d of %d: %s", position, len(due), exc)
                return position
            repository.acknowledge_outbox(cur, [(alert["id"], answer["incident_id"], answer["result"])])
            log.info("relayed alert %s to incident %s (%s)", alert["id"], answer["incident_id"], answer["result"])
        return len(due)
