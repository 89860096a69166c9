"""`POST /api/v1/incidents/alerts/batch`: alert ingestion hands over several stored alerts in one call.

The batch is correlated in one transaction by the same per-alert decision as `POST /api/v1/incidents/alerts`
(with each service's grouping rule), and its attachments are written in one statement: one commit, one HTTP
round trip and one attaching statement instead of one of each per alert. Alerts are decided in the order of
their correlation lock's key (service, severity, group; the lock is held until the commit): two concurrent
batches take their locks in the same order and cannot deadlock. The answer comes only after the commit, so
it never names an incident that a rollback would undo.
"""

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from incident_management.correlation import repository as attachments
from incident_management.correlation import rules as correlation
from incident_management.grouping import cache as grouping_cache
from incident_management.grouping import rules as grouping
from incident_management.lifecycle import incidents
from incident_management.lifecycle.schemas import AttachAlertSchema, AttachmentSchema
from servicekit import auth, db
from servicekit.blueprint import Blueprint

MAX_BATCH = 500

blp = Blueprint(
    "alert_batches",
    __name__,
    url_prefix="/api/v1/incidents/alerts/batch",
    description="Correlating stored alerts in batches (internal, used by alert ingestion)",
)


class AttachAlertBatchSchema(ma.Schema):
    alerts = ma.fields.List(
        ma.fields.Nested(AttachAlertSchema),
        required=True,
        validate=ma.validate.Length(1, MAX_BATCH),
        metadata={"description": f"1 to {MAX_BATCH} stored alerts, each as for POST /api/v1/incidents/alerts"},
    )


class AttachmentBatchSchema(ma.Schema):
    attachments = ma.fields.List(
        ma.fields.Nested(AttachmentSchema), metadata={"description": "One per alert, in the order they were sent"}
    )


def lock_order(alert, rule):
    """The order a batch takes its correlation locks in: the lock's key (service, severity, group), then the
    alert for a stable order."""
    return (*correlation.correlation_key(alert), grouping.group_key(rule, alert) or "", str(alert["alert_id"]))


def attach_alerts(cur, alerts, window_seconds, rule_for):
    """Attach every alert (idempotent, like attach_alert) under its service's grouping rule (`rule_for(cur,
    service)`); returns {alert_id: (incident_id, result, rule)}.

    Each alert's incident is decided in lock order, opening incidents as needed; the attachments are then
    written in one statement (the decisions read incidents, never attachments made in this batch).
    """
    rules = {service: rule_for(cur, service) for service in {alert["service"] for alert in alerts}}
    attached, writes = {}, []

    def collect(_cur, alert, incident_id, result):
        writes.append((alert, incident_id, result))

    for alert in sorted(alerts, key=lambda alert: lock_order(alert, rules[alert["service"]])):
        if alert["alert_id"] in attached:  # the same alert twice in one batch: one decision
            continue
        rule = rules[alert["service"]]
        attached[alert["alert_id"]] = (*incidents.attach_alert(cur, alert, window_seconds, rule, collect), rule)
    if writes:
        attachments.attach_alerts(cur, writes)
    return attached


@blp.route("")
class AlertBatches(MethodView):
    @auth.internal
    @blp.arguments(AttachAlertBatchSchema)
    @blp.response(200, AttachmentBatchSchema)
    def post(self, batch):
        """Correlate stored alerts in one transaction: each joins its open incident or opens one (idempotent)"""
        rules = grouping_cache.of(current_app)
        with db.transaction() as cur:
            attached = attach_alerts(
                cur, batch["alerts"], current_app.config["CORRELATION_WINDOW_SECONDS"], rules.rule_for
            )
        answers = []
        for alert in batch["alerts"]:
            incident_id, result, rule = attached[alert["alert_id"]]
            answer = {"alert_id": alert["alert_id"], "incident_id": incident_id, "result": result}
            answers.append({**answer, "message": grouping.held_message(rule)} if result == "held" else answer)
        return {"attachments": answers}
