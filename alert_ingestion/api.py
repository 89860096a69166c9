"""HTTP resources of alert ingestion."""

from flask import current_app
from flask.views import MethodView

from alert_ingestion import delivery, intake, metrics, repository
from alert_ingestion.keys import routing
from alert_ingestion.maintenance import suppression
from alert_ingestion.schemas import (
    AlertAcceptedSchema,
    AlertCreateSchema,
    AlertQueryArgsSchema,
    AlertReferencesAnswerSchema,
    AlertReferencesSchema,
    AlertSchema,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import Conflict, NotFound
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint("alerts", __name__, url_prefix="/api/v1/alerts", description="Receive and read alerts")

PENDING_MESSAGE = "alert stored; incident management is unavailable, it will be correlated when it is back"
HELD_MESSAGE = (
    "alert stored and held by its service's grouping rule: an incident opens once enough alerts of its group arrive"
)


def accept_alert(alert, source="api", hand_over=True):
    """Store one validated alert and hand it to incident management; returns (body, status code).

    Without `hand_over` the answer comes once the alert is stored (202, pending), and it is handed over
    right after, in a batch with others (delivery.deliver_later).
    """
    metrics.alerts_received.labels(severity=alert["severity"]).inc()
    key_id = routing.current_key_id()
    window = suppression.window_for(alert)
    if window is not None:  # stored to be seen, handed to nobody
        alert_id = suppression.store_suppressed(alert, source, window, key_id)
        body = {"alert_id": alert_id, "incident_id": None, "result": "suppressed", "duplicate": False}
        return {**body, "message": f"suppressed by maintenance window {window['name']!r}"}, 202
    if not hand_over:
        with delivery.room_for_later():
            stored, duplicate = _store(alert, source, key_id)
            result = stored.get("correlation", "pending")
            if result == "pending":
                delivery.deliver_later([stored])
        return _answer(stored["id"], stored.get("incident_id"), result, duplicate)
    stored, duplicate = _store(alert, source, key_id)
    if duplicate and stored["correlation"] != "pending":
        return _answer(stored["id"], stored["incident_id"], stored["correlation"], duplicate)
    # A new alert, or a retry of one not attached yet: hand it over now (attaching is idempotent), without
    # holding a database connection while incident management works.
    db.release_connection()
    answer = delivery.deliver_now(stored)
    if answer is None:
        return _answer(stored["id"], None, "pending", duplicate)
    return _answer(stored["id"], answer["incident_id"], answer["result"], duplicate, answer.get("message"))


def _store(alert, source, key_id):
    """Store the alert with its outbox entry: (the stored alert, False), or (the firing alert that holds its
    dedup_key, True)."""
    # One statement stores the alert and its outbox entry. With a dedup_key it may safely run twice
    # (the second finds the first), so a connection lost under it is retried instead of answered 503.
    with db.statement(idempotent=bool(alert.get("dedup_key"))) as cur:
        stored = repository.insert_alert(cur, alert, source, current_app.config["OUTBOX_GRACE_SECONDS"], key_id)
        duplicate = stored is None
        if duplicate:
            stored = repository.find_firing_by_dedup_key(cur, alert["dedup_key"], key_id)
    if duplicate:
        metrics.alerts_deduplicated.inc()
        if stored is None:  # resolved between the insert and the read: rare, and safe to retry
            raise Conflict(f"the alert with dedup_key {alert['dedup_key']!r} changed concurrently; retry")
    return stored, duplicate


def _answer(alert_id, incident_id, result, duplicate=False, message=None):
    body = {"alert_id": alert_id, "incident_id": incident_id, "result": result, "duplicate": duplicate}
    if result in ("pending", "held"):
        body["message"] = message or (PENDING_MESSAGE if result == "pending" else HELD_MESSAGE)
        return body, 202
    return body, 200 if duplicate else 201


@blp.route("")
class Alerts(MethodView):
    @auth.public
    @intake.checked
    @intake.document(blp)
    @blp.arguments(AlertCreateSchema)
    @blp.response(201, AlertAcceptedSchema, description="Stored and correlated")
    @blp.alt_response(200, schema=AlertAcceptedSchema, description="A retry of a stored alert (same dedup_key)")
    @blp.alt_response(
        202,
        schema=AlertAcceptedSchema,
        description="Stored; correlation pending, held by a grouping rule, or suppressed by a maintenance window",
    )
    def post(self, alert):
        """Receive an alert: store it and attach it to a new or existing incident

        Send `Authorization: Bearer <integration key>` (required when INGEST_REQUIRE_KEY is on): the key's
        service and team, when it names them, replace the alert's `service` and `team` label.
        """
        return accept_alert(alert)

    @auth.role("viewer")
    @blp.arguments(AlertQueryArgsSchema, location="query")
    @blp.response(200, page_schema(AlertSchema, "AlertPage"))
    def get(self, args):
        """List alerts, newest first, filtered and paginated"""
        with db.transaction() as cur:
            rows, total = repository.list_alerts(cur, args, args["page_size"], offset_of(args))
        return page_of(rows, total, args)


@blp.route("/<id:alert_id>")
class AlertById(MethodView):
    @auth.role("viewer")
    @blp.response(200, AlertSchema)
    def get(self, alert_id):
        """Read one alert, with the incident it belongs to"""
        with db.transaction() as cur:
            alert = repository.get_alert(cur, parse_uuid(alert_id, "alert_id"))
        if alert is None:
            raise NotFound(f"alert {alert_id} not found")
        return alert


@blp.route("/references")
class AlertReferences(MethodView):
    @auth.internal
    @blp.arguments(AlertReferencesSchema)
    @blp.response(200, AlertReferencesAnswerSchema)
    def post(self, data):
        """Incident management reports alerts' new incidents (moved, or released by a grouping rule)"""
        with db.transaction() as cur:
            return {"updated": repository.update_references(cur, data["references"])}
