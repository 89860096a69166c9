"""`POST /api/v1/incidents/alerts/resolved`: alert ingestion reports an alert resolved by its source."""

import marshmallow as ma
from flask.views import MethodView

from incident_management.reporting import metrics
from incident_management.resolution import alerts as resolutions
from servicekit import auth, db
from servicekit.blueprint import Blueprint

blp = Blueprint(
    "alert_resolutions",
    __name__,
    url_prefix="/api/v1/incidents/alerts/resolved",
    description="Alerts resolved by their source (internal, used by alert ingestion)",
)


class AlertResolvedSchema(ma.Schema):
    alert_id = ma.fields.UUID(required=True, metadata={"description": "An alert that its source resolved"})
    resolved_at = ma.fields.AwareDateTime(required=True, metadata={"description": "When the alert ended, per source"})
    source = ma.fields.String(
        required=True, validate=ma.validate.Length(1, 100), metadata={"description": "Who resolved it (alertmanager)"}
    )


class AlertResolutionSchema(ma.Schema):
    alert_id = ma.fields.UUID()
    incident_id = ma.fields.UUID(allow_none=True, metadata={"description": "null while the alert is not attached"})
    recorded = ma.fields.Boolean(
        metadata={"description": "true when this call recorded it; false when it was recorded before or is pending"}
    )
    incident_status = ma.fields.String(allow_none=True)
    incident_resolved = ma.fields.Boolean(metadata={"description": "true when this call resolved the incident"})


@blp.route("")
class AlertResolutions(MethodView):
    @auth.internal
    @blp.arguments(AlertResolvedSchema)
    @blp.response(200, AlertResolutionSchema)
    def post(self, data):
        """Record an alert resolved by its source; resolve the incident once all its alerts are (idempotent)"""
        with db.transaction() as cur:
            answer, change = resolutions.record_alert_resolution(
                cur, data["alert_id"], data["resolved_at"], data["source"]
            )
        if change:
            metrics.observe_change(*change)
        return answer
