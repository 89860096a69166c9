"""HTTP resources of incident management."""

import datetime as dt

from flask import current_app
from flask.views import MethodView

from incident_management.grouping import cache as grouping_cache
from incident_management.grouping import rules as grouping
from incident_management.lifecycle import incidents, repository
from incident_management.lifecycle.schemas import (
    AttachAlertSchema,
    AttachmentSchema,
    IncidentCreateSchema,
    IncidentDetailSchema,
    IncidentMetricsSchema,
    IncidentPageSchema,
    IncidentPatchSchema,
    IncidentQueryArgsSchema,
    IncidentSchema,
    NoteCreateSchema,
    NoteSchema,
    StatsArgsSchema,
    StatsSchema,
)
from incident_management.reporting import metrics, stats
from incident_management.search import repository as finder
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import Invalid
from servicekit.params import offset_of, page_of, parse_uuid

blp = Blueprint("incidents", __name__, url_prefix="/api/v1/incidents", description="Incidents and their lifecycle")


def _now():
    return dt.datetime.now(dt.UTC)


def _by_caller(changes):
    """With auth on the signed-in caller is the actor and the note's author, whatever the request says."""
    actor = auth.actor(changes.get("actor") or (changes.get("note") or {}).get("author")) or "api"
    changes = {**changes, "actor": actor}
    if changes.get("note"):
        changes["note"] = {**changes["note"], "author": actor}
    return changes


@blp.route("")
class Incidents(MethodView):
    @auth.role("responder")
    @blp.arguments(IncidentCreateSchema)
    @blp.response(201, IncidentSchema)
    def post(self, data):
        """Open an incident by hand"""
        with db.transaction() as cur:
            return incidents.create_incident(cur, data, actor=auth.actor("api") or "api")

    @auth.role("viewer")
    @blp.arguments(IncidentQueryArgsSchema, location="query")
    @blp.response(200, IncidentPageSchema)
    def get(self, args):
        """List incidents (newest first, or by urgency), filtered, paginated, with the counts per severity"""
        with db.statement(idempotent=True) as cur:
            rows, counts, total = finder.find_incidents(cur, args, args["sort"], args["page_size"], offset_of(args))
        return {**page_of(rows, total, args), "severity_counts": counts}


@blp.route("/alerts")
class IncidentAlerts(MethodView):
    @auth.internal
    @blp.arguments(AttachAlertSchema)
    @blp.response(200, AttachmentSchema)
    def post(self, alert):
        """Correlate a stored alert: attach it to its open incident or open a new one (idempotent)"""
        with db.transaction() as cur:
            rule = grouping_cache.of(current_app).rule_for(cur, alert["service"])
            incident_id, result = incidents.attach_alert(
                cur, alert, current_app.config["CORRELATION_WINDOW_SECONDS"], rule
            )
        answer = {"alert_id": alert["alert_id"], "incident_id": incident_id, "result": result}
        return {**answer, "message": grouping.held_message(rule)} if result == "held" else answer


@blp.route("/stats")
class IncidentStats(MethodView):
    @auth.role("viewer")
    @blp.arguments(StatsArgsSchema, location="query")
    @blp.response(200, StatsSchema)
    def get(self, args):
        """Counts by status, mean MTTA/MTTR, volume by service and a trend, for incidents opened in a range"""
        until = args.get("until") or _now()
        since = args.get("since")
        if since and since >= until:
            raise Invalid("since must be before until", errors={"query": {"since": ["Must be before until."]}})
        with db.transaction() as cur:
            return stats.incident_stats(cur, since, until, args["bucket"], args.get("service"))


@blp.route("/<id:incident_id>")
class IncidentById(MethodView):
    @auth.role("viewer")
    @blp.response(200, IncidentDetailSchema)
    def get(self, incident_id):
        """Read an incident with its alerts, notes and timeline"""
        with db.transaction() as cur:
            return incidents.incident_detail(cur, parse_uuid(incident_id, "incident_id"))

    @auth.role("responder")
    @blp.arguments(IncidentPatchSchema)
    @blp.response(200, IncidentSchema)
    def patch(self, changes, incident_id):
        """Move the status forward, assign, and/or add a note (moving backwards is 409)"""
        with db.transaction() as cur:
            before, after = incidents.change_incident(
                cur, parse_uuid(incident_id, "incident_id"), _by_caller(changes), _now()
            )
        metrics.observe_change(before, after)
        return after


@blp.route("/<id:incident_id>/notes")
class IncidentNotes(MethodView):
    @auth.role("responder")
    @blp.arguments(NoteCreateSchema)
    @blp.response(201, NoteSchema)
    def post(self, note, incident_id):
        """Add a note to an incident"""
        with db.transaction() as cur:
            author = auth.actor(note.get("author")) or "api"
            return incidents.add_note(cur, parse_uuid(incident_id, "incident_id"), author, note["content"])

    @auth.role("viewer")
    @blp.response(200, NoteSchema(many=True))
    def get(self, incident_id):
        """An incident's notes, oldest first"""
        with db.transaction() as cur:
            incident = incidents.get_incident(cur, parse_uuid(incident_id, "incident_id"))
            return repository.get_notes(cur, incident["id"])


@blp.route("/<id:incident_id>/metrics")
class IncidentMetrics(MethodView):
    @auth.role("viewer")
    @blp.response(200, IncidentMetricsSchema)
    def get(self, incident_id):
        """MTTA and MTTR of one incident (null until acknowledged / resolved)"""
        with db.transaction() as cur:
            return incidents.get_incident(cur, parse_uuid(incident_id, "incident_id"))
