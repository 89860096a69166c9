"""HTTP resource for escalation: the on-call service moves an incident to its next level through it."""

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from incident_management.lifecycle.schemas import IncidentSchema
from incident_management.paging import actions as paging_actions
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import parse_uuid

blp = Blueprint(
    "paging",
    __name__,
    url_prefix="/api/v1/incidents",
    description="Escalation of incidents (called by the on-call service, which decides whom to escalate to)",
)


class EscalationRequestSchema(ma.Schema):
    level = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(min=1, max=1000),
        metadata={"description": "The next level: the incident's escalation_level + 1 (1 = the secondary)"},
    )
    assigned_to = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    assigned_email = ma.fields.Email(required=True)
    actor = ma.fields.String(load_default="oncall-service", validate=ma.validate.Length(min=1, max=200))
    reason = ma.fields.String(validate=ma.validate.Length(min=1, max=1000))
    trigger = ma.fields.String(
        load_default="manual",
        validate=ma.validate.OneOf(("manual", "timeout")),
        metadata={"description": "timeout: only while the incident is still unacknowledged (else 409)"},
    )
    channel = ma.fields.String(
        validate=ma.validate.Length(min=1, max=20), metadata={"description": "Default: PAGING_CHANNEL"}
    )


class QueuedNotificationSchema(ma.Schema):
    channel = ma.fields.String()
    recipient = ma.fields.String()


class EscalatedIncidentSchema(IncidentSchema):
    notification = ma.fields.Nested(
        QueuedNotificationSchema,
        allow_none=True,
        metadata={"description": "The page queued for the new assignee (null when the request was a repeat)"},
    )


@blp.route("/<id:incident_id>/escalate")
class IncidentEscalation(MethodView):
    @auth.internal
    @blp.arguments(EscalationRequestSchema)
    @blp.response(200, EscalatedIncidentSchema)
    def post(self, request, incident_id):
        """Move an incident to its next escalation level, assign it and page the new assignee (409 if not possible)"""
        request.setdefault("channel", current_app.config["PAGING_CHANNEL"])
        with db.transaction() as cur:
            incident, notification = paging_actions.escalate(cur, parse_uuid(incident_id, "incident_id"), request)
        return {**incident, "notification": notification}
