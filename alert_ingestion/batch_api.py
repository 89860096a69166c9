"""`POST /api/v1/alerts/batch`: up to MAX_BATCH alerts in one request, stored in one transaction, answered 202.

For senders with many alerts at once (a script draining a queue, a collector): each alert is validated as for
`POST /api/v1/alerts` (a wrong one refuses the whole batch with 422 naming it by its index, and nothing is
stored), all are stored with their outbox entries in one commit, and the answer names each alert. Right after, a
thread of the worker hands them to incident management in batches (the outbox relay if that fails); an alert's
incident is then read with `GET /api/v1/alerts/{alert_id}`.
"""

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from alert_ingestion import delivery, intake, metrics, repository
from alert_ingestion.keys import routing
from alert_ingestion.maintenance import suppression
from alert_ingestion.schemas import AlertAcceptedSchema, AlertCreateSchema
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import Conflict

MAX_BATCH = 100

blp = Blueprint("alert_batches", __name__, url_prefix="/api/v1/alerts/batch", description="Receive alerts in batches")


class AlertBatchSchema(ma.Schema):
    alerts = ma.fields.List(
        ma.fields.Nested(AlertCreateSchema),
        required=True,
        validate=ma.validate.Length(1, MAX_BATCH),
        metadata={"description": f"1 to {MAX_BATCH} alerts, each as for POST /api/v1/alerts"},
    )


class AlertBatchAcceptedSchema(ma.Schema):
    alerts = ma.fields.List(
        ma.fields.Nested(AlertAcceptedSchema),
        metadata={"description": "One per alert, in the order sent: pending (correlation follows), a duplicate's"},
    )


def accept_batch(alerts, source="api"):
    """Store the alerts (suppressed ones as such) in one transaction, then queue them for the hand-off;
    their answers."""
    key_id = routing.current_key_id()
    answers, kept = [None] * len(alerts), []
    for position, alert in enumerate(alerts):
        metrics.alerts_received.labels(severity=alert["severity"]).inc()
        window = suppression.window_for(alert)
        if window is None:
            kept.append((position, alert))
        else:  # stored to be seen, handed to nobody
            alert_id = suppression.store_suppressed(alert, source, window, key_id)
            answers[position] = _answer(alert_id, None, "suppressed", False)
    if kept:
        with delivery.room_for_later(len(kept)):  # before storing: the time to attach starts there
            pending = _store(kept, answers, source, key_id)
            delivery.deliver_later(pending)
    return answers


def _store(kept, answers, source, key_id):
    """Store the (position, alert) pairs in one transaction, filling in their answers; the stored alerts
    that wait for an incident."""
    grace, pending = current_app.config["OUTBOX_GRACE_SECONDS"], []
    with db.transaction() as cur:
        for position, alert in kept:
            stored = repository.insert_alert(cur, alert, source, grace, key_id)
            duplicate = stored is None
            if duplicate:  # a firing alert holds its dedup_key (maybe one earlier in this batch)
                metrics.alerts_deduplicated.inc()
                stored = repository.find_firing_by_dedup_key(cur, alert["dedup_key"], key_id)
                if stored is None:  # resolved between the insert and the read: rare, and safe to retry
                    raise Conflict(f"the alert with dedup_key {alert['dedup_key']!r} changed concurrently; retry")
            correlation = stored.get("correlation", "pending")
            answers[position] = _answer(stored["id"], stored.get("incident_id"), correlation, duplicate)
            if correlation == "pending" and not duplicate:
                pending.append(stored)
    return pending


def _answer(alert_id, incident_id, result, duplicate):
    return {"alert_id": alert_id, "incident_id": incident_id, "result": result, "duplicate": duplicate}


@blp.route("")
class AlertBatches(MethodView):
    @auth.public
    @intake.checked
    @intake.document(blp)
    @blp.arguments(AlertBatchSchema)
    @blp.response(202, AlertBatchAcceptedSchema, description="Stored; correlation follows")
    def post(self, batch):
        """Receive up to 100 alerts: store them in one transaction; they are correlated right after

        Send `Authorization: Bearer <integration key>` as for one alert; the key counts once per request
        against its rate limit.
        """
        return {"alerts": accept_batch(batch["alerts"])}
