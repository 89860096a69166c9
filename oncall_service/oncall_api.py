"""HTTP resources of the on-call service: who is on call, the upcoming shifts, escalation."""

import datetime as dt

from flask import current_app
from flask.views import MethodView

from oncall_service import escalation, escalation_repository, incidents_client, metrics, schedules
from oncall_service.schemas import (
    CurrentArgsSchema,
    CurrentSchema,
    EscalateSchema,
    EscalationQueryArgsSchema,
    EscalationResultSchema,
    EscalationSchema,
    ShiftsArgsSchema,
    ShiftsSchema,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import offset_of, page_of, page_schema

blp = Blueprint("oncall", __name__, url_prefix="/api/v1", description="Who is on call, and escalation")


def _now():
    return dt.datetime.now(dt.UTC)


@blp.route("/oncall/current")
class CurrentOnCall(MethodView):
    @auth.role("viewer")
    @blp.arguments(CurrentArgsSchema, location="query")
    @blp.response(200, CurrentSchema)
    def get(self, args):
        """Who is on call for a team now, or at a given time (404 for a team without a schedule)"""
        with db.transaction() as cur:
            return schedules.current(cur, args["team"], args.get("at") or _now())


@blp.route("/oncall/shifts")
class Shifts(MethodView):
    @auth.role("viewer")
    @blp.arguments(ShiftsArgsSchema, location="query")
    @blp.response(200, ShiftsSchema)
    def get(self, args):
        """A team's shifts in a time range (default: the next 4 weeks), split where overrides start or end"""
        with db.transaction() as cur:
            return schedules.upcoming_shifts(cur, args["team"], args.get("since") or _now(), args.get("until"))


@blp.route("/escalate")
class Escalate(MethodView):
    @auth.role("responder")
    @blp.arguments(EscalateSchema)
    @blp.response(200, EscalationResultSchema)
    def post(self, request):
        """Escalate an incident to the next person on call (409: resolved, or nobody further)"""
        app = current_app._get_current_object()
        incidents = incidents_client.client(app)
        incident = incidents.get(request["incident_id"])
        channel = app.config["ESCALATION_CHANNEL"]
        actor = auth.actor(request.get("actor")) or "api"  # with auth on: who signed in
        with db.transaction() as cur:
            record, answer = escalation.escalate(
                cur, incidents, incident, "manual", actor, request.get("reason"), channel, _now()
            )
        metrics.count_escalation(record, answer, channel)
        return {
            "incident_id": record["incident_id"],
            "team": record["team"],
            "level": record["level"],
            "assigned_to": {"name": record["assigned_name"], "email": record["assigned_email"]},
        }


@blp.route("/escalations")
class Escalations(MethodView):
    @auth.role("viewer")
    @blp.arguments(EscalationQueryArgsSchema, location="query")
    @blp.response(200, page_schema(EscalationSchema, "EscalationPage"))
    def get(self, args):
        """The escalation log, newest first, by incident or team; paginated"""
        with db.transaction() as cur:
            rows, total = escalation_repository.list_escalations(
                cur, args.get("incident_id"), args.get("team"), args["page_size"], offset_of(args)
            )
        return page_of(rows, total, args)
