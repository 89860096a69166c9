"""HTTP resources of escalation: moving an incident to its policy's next step by hand, and the escalation log."""

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from incident_management.lifecycle.schemas import IncidentSchema
from incident_management.paging import due, policy_state
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import PageArgsSchema, offset_of, page_of, page_schema, parse_uuid

blp = Blueprint(
    "paging",
    __name__,
    url_prefix="/api/v1",
    description="Escalation of incidents along their policy (the on-call service's POST /escalate hands over here)",
)


class EscalationRequestSchema(ma.Schema):
    actor = ma.fields.String(load_default="oncall-service", validate=ma.validate.Length(min=1, max=200))
    reason = ma.fields.String(validate=ma.validate.Length(min=1, max=1000))
    team = ma.fields.String(
        validate=ma.validate.Length(min=1, max=100),
        metadata={"description": "The team whose default policy to follow when the incident has no team"},
    )


class QueuedNotificationSchema(ma.Schema):
    channel = ma.fields.String()
    recipient = ma.fields.String()


class EscalatedIncidentSchema(IncidentSchema):
    notifications = ma.fields.List(
        ma.fields.Nested(QueuedNotificationSchema), metadata={"description": "The pages queued for the step"}
    )


class EscalationSchema(ma.Schema):
    id = ma.fields.UUID()
    incident_id = ma.fields.UUID()
    level = ma.fields.Integer()
    team = ma.fields.String()
    policy = ma.fields.String(attribute="policy_name", allow_none=True)
    step = ma.fields.Integer(allow_none=True, metadata={"description": "0 = the policy's first step"})
    round = ma.fields.Integer(allow_none=True, metadata={"description": "0 = the first time through the steps"})
    trigger = ma.fields.String(metadata={"description": "manual (POST /escalate) or timeout (nobody acknowledged)"})
    reason = ma.fields.String(allow_none=True)
    actor = ma.fields.String()
    assigned_to = ma.fields.Function(lambda row: {"name": row["assigned_name"], "email": row["assigned_email"]})
    previous_assignee = ma.fields.String(attribute="previous_name", allow_none=True)
    created_at = ma.fields.DateTime()


class EscalationQueryArgsSchema(PageArgsSchema):
    incident_id = ma.fields.UUID()
    team = ma.fields.String()


@blp.route("/incidents/<id:incident_id>/escalate")
class IncidentEscalation(MethodView):
    @auth.internal
    @blp.arguments(EscalationRequestSchema)
    @blp.response(200, EscalatedIncidentSchema)
    def post(self, request, incident_id):
        """Move an incident to its policy's next step that reaches someone, and page them (409 says why not)"""
        app = current_app._get_current_object()
        incident, notifications = due.escalate_by_hand(app, parse_uuid(incident_id, "incident_id"), request)
        return {**incident, "notifications": notifications}


@blp.route("/escalations")
class Escalations(MethodView):
    @auth.role("viewer")
    @blp.arguments(EscalationQueryArgsSchema, location="query")
    @blp.response(200, page_schema(EscalationSchema, "EscalationPage"))
    def get(self, args):
        """The escalation log, newest first, by incident or team; paginated"""
        with db.transaction() as cur:
            rows, total = policy_state.list_escalations(
                cur, args.get("incident_id"), args.get("team"), args["page_size"], offset_of(args)
            )
        return page_of(rows, total, args)
