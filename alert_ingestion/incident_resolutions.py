"""`POST /api/v1/alerts/incident-resolutions`: incident management tells us an incident was resolved (by a person,
a link in a page, or a merge), so that its alerts stop firing here and a repeat of one opens a new incident."""

import marshmallow as ma
from flask.views import MethodView

from alert_ingestion import resolution_repository
from servicekit import auth, db
from servicekit.blueprint import Blueprint

blp = Blueprint(
    "incident_resolutions",
    __name__,
    url_prefix="/api/v1/alerts/incident-resolutions",
    description="Incidents resolved in incident management (internal, used by incident management)",
)

MAX_ALERTS = 1000


class IncidentResolvedSchema(ma.Schema):
    incident_id = ma.fields.UUID(required=True, metadata={"description": "The incident that was resolved"})
    resolved_at = ma.fields.AwareDateTime(required=True, metadata={"description": "When it was resolved"})
    alert_ids = ma.fields.List(
        ma.fields.UUID(),
        required=True,
        validate=ma.validate.Length(max=MAX_ALERTS),
        metadata={"description": f"Its alerts that were still firing (at most {MAX_ALERTS} per call)"},
    )


class IncidentResolutionSchema(ma.Schema):
    resolved = ma.fields.Integer(metadata={"description": "How many of the alerts this call resolved"})


@blp.route("")
class IncidentResolutions(MethodView):
    @auth.internal
    @blp.arguments(IncidentResolvedSchema)
    @blp.response(200, IncidentResolutionSchema)
    def post(self, data):
        """Resolve the still-firing alerts of an incident resolved in incident management (idempotent)"""
        with db.transaction() as cur:
            resolved = resolution_repository.resolve_firing_of_incident(cur, data["alert_ids"], data["resolved_at"])
        return {"resolved": resolved}
