"""`POST /api/v1/alerts/webhook`: a JSON body of any shape, made an alert by the sending key's mapping."""

import datetime as dt

import marshmallow as ma
from flask.views import MethodView

from alert_ingestion import intake, source_resolution
from alert_ingestion.api import accept_alert
from alert_ingestion.keys import routing
from alert_ingestion.schemas import AlertAcceptedSchema, AlertCreateSchema
from alert_ingestion.webhook import mapping
from servicekit import auth
from servicekit.blueprint import Blueprint
from servicekit.errors import Conflict, Invalid

SOURCE = "webhook"
_ALERT_SCHEMA = AlertCreateSchema()  # loading keeps no state: one instance serves every request

blp = Blueprint(
    "webhook",
    __name__,
    url_prefix="/api/v1/alerts/webhook",
    description="Generic webhook: any JSON body, mapped by the integration key's mapping",
)

DESCRIPTION = (
    "For tools with no native format. The sending integration key's `mapping` (set by an admin on "
    "`/api/v1/integration-keys`) says where each of the alert's fields is in the body: `service`, `severity`, "
    "`message`, `dedup_key`, `timestamp`, `labels`, `links`, and `resolve` (which values of which field mean "
    "the alert is over). Without a key, or a key without a mapping, the body is read as `POST /api/v1/alerts` "
    "reads it. The mapped alert is validated as that endpoint's: a 422 names each field and where it was mapped "
    "from. docs/integrations.md has Datadog and Zabbix mappings."
)


class WebhookBodySchema(ma.Schema):
    """Any JSON object: its shape is the mapping's business."""

    class Meta:
        unknown = ma.INCLUDE


class WebhookOutcomeSchema(AlertAcceptedSchema):
    status = ma.fields.String(metadata={"description": "firing, or resolved when the mapping's resolve rule matched"})
    dedup_key = ma.fields.String(allow_none=True)
    result = ma.fields.String(
        metadata={"description": "new_incident, existing_incident, pending; resolved, or not_firing (nothing open)"}
    )
    alert_id = ma.fields.UUID(allow_none=True)
    incident_status = ma.fields.String(allow_none=True, metadata={"description": "Resolutions: the incident's now"})


@blp.route("")
class GenericWebhook(MethodView):
    @auth.public
    @intake.checked
    @intake.document(blp)
    @blp.arguments(WebhookBodySchema)
    @blp.response(201, WebhookOutcomeSchema, description="Stored and correlated, or resolved")
    @blp.alt_response(200, schema=WebhookOutcomeSchema, description="A repeat of a firing alert, or a resolution")
    @blp.alt_response(202, schema=WebhookOutcomeSchema, description="Stored; correlation pending")
    @blp.doc(description=DESCRIPTION)
    def post(self, body):
        """Receive any JSON body: the key's mapping makes it an alert, or resolves one"""
        key = routing.current_key()
        rules = key.get("mapping") if key else None
        mapped = mapping.to_platform_alert(rules, body)
        if mapping.resolves(rules, body):
            return _resolve(mapped, rules)
        try:
            alert = _ALERT_SCHEMA.load(mapped)
        except ma.ValidationError as invalid:
            raise Invalid(
                "the mapped alert is invalid: " + ", ".join(invalid.messages),
                errors={
                    "json": {
                        field: [*_messages(problem), mapping.describe(rules, field)]
                        for field, problem in invalid.messages.items()
                    }
                },
            ) from invalid
        try:
            answer, code = accept_alert(alert, source=SOURCE)
        except Conflict:  # its resolution raced this repeat: once more decides
            answer, code = accept_alert(alert, source=SOURCE)
        return {"status": "firing", "dedup_key": alert.get("dedup_key"), **answer}, code


def _messages(problem):
    return problem if isinstance(problem, list) else [str(problem)]


def _resolve(mapped, rules):
    dedup_key = mapped.get("dedup_key")
    if not dedup_key:
        problem = f"The body resolves an alert, so it needs its dedup key ({mapping.describe(rules, 'dedup_key')})."
        raise Invalid("the body resolves an alert but names no dedup key", errors={"json": {"dedup_key": [problem]}})
    outcome = source_resolution.resolve(dedup_key, SOURCE, dt.datetime.now(dt.UTC))
    return {"status": "resolved", "dedup_key": dedup_key, "duplicate": False, **outcome}, 200
