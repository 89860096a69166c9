"""PagerDuty's Events API v2 event (alert events), as its documentation defines it."""

import typing

import marshmallow as ma

from alert_ingestion import links as weblinks
from alert_ingestion.schemas import ImageSchema, LinkSchema, _web_url
from servicekit.fields import Timestamp

ACTIONS = ("trigger", "acknowledge", "resolve")
SEVERITIES = ("critical", "error", "warning", "info")
SUMMARY_MAX = 1024
DEDUP_KEY_MAX = 255
_TEXT = ma.validate.Length(min=1, max=255)


class PayloadSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # PagerDuty ignores what it does not know; so do we

    summary = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=SUMMARY_MAX))
    source = ma.fields.String(required=True, validate=_TEXT, metadata={"description": "The affected system"})
    severity = ma.fields.String(required=True, validate=ma.validate.OneOf(SEVERITIES))
    timestamp = Timestamp(window="event", metadata={"description": "When the problem was detected; default now"})
    component = ma.fields.String(validate=ma.validate.Length(max=255))
    group = ma.fields.String(validate=ma.validate.Length(max=255))
    class_ = ma.fields.String(data_key="class", validate=ma.validate.Length(max=255))
    custom_details = ma.fields.Raw(allow_none=True, metadata={"description": "Free-form details: kept as labels"})


class EventSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "routing_key": "ipk_Jm3xQ7exampleexampleexampleexampleexamp",
        "event_action": "trigger",
        "dedup_key": "disk-full-db-1",
        "payload": {"summary": "Disk 95% full on db-1", "source": "db-1", "severity": "critical"},
        "links": [{"href": "https://runbooks.example.com/disk", "text": "Runbook"}],
    }
    OPENAPI_EXTRA: typing.ClassVar = {
        "anyOf": [
            {"properties": {"event_action": {"enum": ["trigger"]}}, "required": ["payload"]},
            {"properties": {"event_action": {"enum": ["acknowledge", "resolve"]}}, "required": ["dedup_key"]},
        ]
    }

    class Meta:
        unknown = ma.EXCLUDE

    routing_key = ma.fields.String(
        required=True, validate=ma.validate.Length(min=1, max=200), metadata={"description": "An integration key"}
    )
    event_action = ma.fields.String(required=True, validate=ma.validate.OneOf(ACTIONS))
    dedup_key = ma.fields.String(
        validate=ma.validate.Length(min=1, max=DEDUP_KEY_MAX),
        metadata={"description": "Generated for a trigger without one (and returned); required otherwise"},
    )
    payload = ma.fields.Nested(PayloadSchema, metadata={"description": "Required for trigger; ignored otherwise"})
    client = ma.fields.String(validate=ma.validate.Length(max=255))
    client_url = _web_url()
    links = ma.fields.List(ma.fields.Nested(LinkSchema), validate=ma.validate.Length(max=weblinks.MAX_LINKS))
    images = ma.fields.List(ma.fields.Nested(ImageSchema), validate=ma.validate.Length(max=weblinks.MAX_IMAGES))

    @ma.pre_load
    def only_triggers_carry_a_payload(self, data, **_kwargs):
        if isinstance(data, dict) and data.get("event_action") in ("acknowledge", "resolve"):
            return {k: v for k, v in data.items() if k not in ("payload", "links", "images", "client", "client_url")}
        return data

    @ma.validates_schema
    def action_needs(self, data, **_kwargs):
        if data["event_action"] == "trigger" and "payload" not in data:
            raise ma.ValidationError("'payload' is missing or blank", "payload")
        if data["event_action"] != "trigger" and "dedup_key" not in data:
            raise ma.ValidationError(f"'dedup_key' is required for event_action {data['event_action']}", "dedup_key")


class EventAcceptedSchema(ma.Schema):
    status = ma.fields.String(metadata={"example": "success"})
    message = ma.fields.String(metadata={"example": "Event processed"})
    dedup_key = ma.fields.String()


class EventRefusedSchema(ma.Schema):
    status = ma.fields.String(metadata={"example": "invalid event"})
    message = ma.fields.String(metadata={"example": "Event object is invalid"})
    errors = ma.fields.List(ma.fields.String())
