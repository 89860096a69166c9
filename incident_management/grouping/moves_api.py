"""Moving alerts between incidents by hand: move or split one alert, merge a whole incident (responders)."""

import datetime as dt

from flask.views import MethodView

from incident_management.grouping import moves
from incident_management.grouping.schemas import AlertMoveSchema, IncidentMergeSchema, MoveResultSchema
from incident_management.reporting import metrics
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import parse_uuid

blp = Blueprint(
    "incident_moves",
    __name__,
    url_prefix="/api/v1/incidents",
    description="Fixing grouping by hand: moving alerts between incidents, splitting and merging",
)


def _done(answer, changes):
    for before, after in changes:
        metrics.observe_change(before, after)
    return answer


@blp.route("/<id:incident_id>/alerts/<id:alert_id>/move")
class AlertMove(MethodView):
    @auth.role("responder")
    @blp.arguments(AlertMoveSchema)
    @blp.response(200, MoveResultSchema)
    @blp.alt_response(409, description="The target incident is resolved, or is the alert's own")
    def post(self, data, incident_id, alert_id):
        """Move an alert to another open incident, or split it into a new one (`"to": "new"`)"""
        incident_id, alert_id = parse_uuid(incident_id, "incident_id"), parse_uuid(alert_id, "alert_id")
        with db.transaction() as cur:
            answer, changes = moves.move_alert(cur, incident_id, alert_id, data["to"], _actor(data), _now())
        return _done(answer, changes)


@blp.route("/<id:incident_id>/merge")
class IncidentMerge(MethodView):
    @auth.role("responder")
    @blp.arguments(IncidentMergeSchema)
    @blp.response(200, MoveResultSchema)
    @blp.alt_response(409, description="One of the incidents is resolved, or both are this one")
    def post(self, data, incident_id):
        """Merge this incident into another: every alert moves there, and this one resolves as merged"""
        with db.transaction() as cur:
            answer, changes = moves.merge(
                cur, parse_uuid(incident_id, "incident_id"), data["into"], _actor(data), _now()
            )
        return _done(answer, changes)


def _actor(data):
    """With auth on the signed-in caller, whatever the request says."""
    return auth.actor(data.get("actor")) or "api"


def _now():
    return dt.datetime.now(dt.UTC)
