"""HTTP resources of escalation: a policy's chain, a team's chain, and escalating an incident by hand."""

import datetime as dt

from flask import current_app
from flask.views import MethodView

from oncall_service import metrics
from oncall_service.escalation import chains, incidents_client
from oncall_service.escalation.schemas import (
    ChainArgsSchema,
    ChainSchema,
    EscalateSchema,
    EscalationResultSchema,
    TeamChainArgsSchema,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import Invalid
from servicekit.params import parse_uuid

blp = Blueprint("escalation", __name__, url_prefix="/api/v1", description="Escalation policies' chains, escalation")


def _now():
    return dt.datetime.now(dt.UTC)


@blp.route("/oncall/chain")
class TeamChain(MethodView):
    @auth.role("viewer")
    @blp.arguments(TeamChainArgsSchema, location="query")
    @blp.response(200, ChainSchema)
    def get(self, args):
        """The chain an incident of a team or service follows: each step's delay and whom it reaches at a time"""
        if not any(args.get(key) for key in ("team", "service", "fallback_team")):
            message = "name a team, a service or a fallback team"
            raise Invalid(message, errors={"query": {"team": ["Give team, service or fallback_team."]}})
        with db.transaction() as cur:
            return chains.chain_for_incident(cur, args, args.get("at") or _now(), current_app.config)


@blp.route("/escalation-policies/<id:policy_id>/chain")
class PolicyChain(MethodView):
    @auth.role("viewer")
    @blp.arguments(ChainArgsSchema, location="query")
    @blp.response(200, ChainSchema)
    def get(self, args, policy_id):
        """A policy's chain: each step's delay and whom it reaches at a time (now by default)"""
        with db.transaction() as cur:
            return chains.chain_of_policy(cur, parse_uuid(policy_id, "policy_id"), args.get("at") or _now())


@blp.route("/escalate")
class Escalate(MethodView):
    @auth.role("responder")
    @blp.arguments(EscalateSchema)
    @blp.response(200, EscalationResultSchema)
    def post(self, request):
        """Escalate an incident to its policy's next step (409: resolved, or at the last step)"""
        app = current_app._get_current_object()
        body = {"actor": request.get("actor") or "api", "reason": request.get("reason"), "team": request.get("team")}
        answer = incidents_client.client(app).escalate(
            request["incident_id"], {key: value for key, value in body.items() if value}
        )
        for notification in answer.get("notifications") or []:
            metrics.notifications_sent.labels(channel=notification["channel"]).inc()
        return {
            "incident_id": answer["id"],
            "team": answer["team"],
            "level": answer["escalation_level"],
            "assigned_to": {"name": answer["assigned_to"], "email": answer["assigned_email"]},
        }
