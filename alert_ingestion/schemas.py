"""Request and response schemas of alert ingestion."""

import typing

import marshmallow as ma

from alert_ingestion import links as weblinks
from alert_ingestion.keys import routing
from servicekit.enums import ALERT_STATUSES, SEVERITIES
from servicekit.fields import Timestamp
from servicekit.params import PageArgsSchema

CORRELATIONS = ("pending", "new_incident", "existing_incident", "held", "suppressed")
MAX_LABELS = 64
MAX_LABEL_VALUE = 2048  # characters of a string label value
MAX_LABEL_KEY = 100


def _validate_labels(labels):
    if len(labels) > MAX_LABELS:
        raise ma.ValidationError(f"At most {MAX_LABELS} labels.")
    for key, value in labels.items():
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            raise ma.ValidationError(f"Label {key!r} must be a string, number or boolean.")
        if isinstance(value, str) and len(value) > MAX_LABEL_VALUE:
            raise ma.ValidationError(f"Label {key!r} is longer than {MAX_LABEL_VALUE} characters.")


WEB_URL_PATTERN = weblinks.WEB_URL_PATTERN


def _web_url(metadata=None, **kwargs):
    metadata = {"pattern": WEB_URL_PATTERN, "minLength": 1, "maxLength": weblinks.HREF_MAX, **(metadata or {})}
    return ma.fields.String(validate=_check_web_url, metadata=metadata, **kwargs)


def _check_web_url(value):
    if not weblinks.is_web_url(value):
        raise ma.ValidationError(f"Must be an absolute http(s) URL of at most {weblinks.HREF_MAX} characters.")


class LinkSchema(ma.Schema):
    href = _web_url(required=True)
    text = ma.fields.String(validate=ma.validate.Length(max=weblinks.TEXT_MAX))


class ImageSchema(ma.Schema):
    src = _web_url(required=True)
    href = _web_url(metadata={"description": "Where a click on the image goes"})
    alt = ma.fields.String(validate=ma.validate.Length(max=weblinks.TEXT_MAX))


class AlertCreateSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "service": "payments",
        "severity": "critical",
        "message": "p99 latency above 2s",
        "labels": {"region": "eu-west-1", "team": "platform-engineering"},
        "dedup_key": "payments-latency",
    }

    # Surrounding spaces are dropped (JavaScript's \s, the documents' regex dialect), so a name needs one other
    # character: said in the document too.
    service = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200), metadata={"pattern": "\\S"})
    severity = ma.fields.String(required=True, validate=ma.validate.OneOf(SEVERITIES))
    message = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=10000))
    labels = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.Length(max=MAX_LABEL_KEY)),
        values=ma.fields.Raw(
            allow_none=True,
            metadata={
                "anyOf": [{"type": "string", "maxLength": MAX_LABEL_VALUE}, {"type": "number"}, {"type": "boolean"}],
                "nullable": True,
            },
        ),
        load_default=dict,
        validate=_validate_labels,
        metadata={
            "maxProperties": MAX_LABELS,
            "description": f"Keys of at most {MAX_LABEL_KEY} characters; values a string (at most "
            f"{MAX_LABEL_VALUE} characters), number, boolean or null",
        },
    )
    timestamp = Timestamp(window="event", metadata={"description": "When the alert fired; default now"})
    dedup_key = ma.fields.String(
        validate=ma.validate.Length(min=1, max=255),
        metadata={"description": "Retries with the same key while the alert fires are not stored again"},
    )
    links = ma.fields.List(
        ma.fields.Nested(LinkSchema),
        load_default=list,
        validate=ma.validate.Length(max=weblinks.MAX_LINKS),
        metadata={"description": "Runbook, dashboard, source: shown as links on the incident page"},
    )
    images = ma.fields.List(
        ma.fields.Nested(ImageSchema), load_default=list, validate=ma.validate.Length(max=weblinks.MAX_IMAGES)
    )

    @ma.pre_load
    def normalise(self, data, **_kwargs):
        data = routing.apply_key(data)  # the integration key's service and team, when it names them
        if isinstance(data, dict) and isinstance(data.get("severity"), str):
            data = {**data, "severity": data["severity"].strip().lower()}
        if isinstance(data, dict) and isinstance(data.get("service"), str):
            data = {**data, "service": data["service"].strip(weblinks.SPACES)}
        return data


class AlertAcceptedSchema(ma.Schema):
    alert_id = ma.fields.UUID()
    incident_id = ma.fields.UUID(allow_none=True)
    result = ma.fields.String(
        metadata={
            "description": "new_incident, existing_incident, pending, held (by its service's grouping rule, "
            "below its threshold), or suppressed (a maintenance window)"
        }
    )
    duplicate = ma.fields.Boolean(metadata={"description": "true when the dedup_key matched a stored alert"})
    message = ma.fields.String()


class AlertReferenceSchema(ma.Schema):
    alert_id = ma.fields.UUID(required=True)
    incident_id = ma.fields.UUID(required=True)
    correlation = ma.fields.String(required=True, validate=ma.validate.OneOf(("new_incident", "existing_incident")))


class AlertReferencesSchema(ma.Schema):
    references = ma.fields.List(
        ma.fields.Nested(AlertReferenceSchema), required=True, validate=ma.validate.Length(min=1, max=1000)
    )


class AlertReferencesAnswerSchema(ma.Schema):
    updated = ma.fields.Integer(metadata={"description": "How many of the alerts are known here"})


class AlertSchema(ma.Schema):
    id = ma.fields.UUID()
    service = ma.fields.String()
    severity = ma.fields.String()
    message = ma.fields.String()
    labels = ma.fields.Dict()
    links = ma.fields.List(ma.fields.Nested(LinkSchema))
    images = ma.fields.List(ma.fields.Nested(ImageSchema))
    source = ma.fields.String()
    dedup_key = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "firing, resolved (by its source) or suppressed"})
    suppressed_by = ma.fields.UUID(allow_none=True, metadata={"description": "The maintenance window that held it"})
    timestamp = ma.fields.DateTime(attribute="occurred_at")
    received_at = ma.fields.DateTime()
    resolved_at = ma.fields.DateTime(allow_none=True)
    incident_id = ma.fields.UUID(allow_none=True)
    correlation = ma.fields.String(
        metadata={"description": "pending, new_incident, existing_incident, held or suppressed"}
    )
    integration_key_id = ma.fields.UUID(allow_none=True, metadata={"description": "The key that sent it"})


class AlertQueryArgsSchema(PageArgsSchema):
    service = ma.fields.String()
    severity = ma.fields.String(validate=ma.validate.OneOf(SEVERITIES))
    status = ma.fields.String(validate=ma.validate.OneOf(ALERT_STATUSES))
    correlation = ma.fields.String(validate=ma.validate.OneOf(CORRELATIONS))
    incident_id = ma.fields.UUID()
    integration_key_id = ma.fields.UUID(metadata={"description": "Sent with this integration key"})
    since = Timestamp(metadata={"description": "Received at or after"})
    until = Timestamp(metadata={"description": "Received before"})
