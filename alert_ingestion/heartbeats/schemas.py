"""Request and response schemas of heartbeat monitors."""

import typing

import marshmallow as ma

from servicekit.enums import SEVERITIES
from servicekit.fields import JsonBoolean
from servicekit.params import PageArgsSchema

_NAME = ma.validate.Length(min=1, max=200)
INTERVAL = ma.validate.Range(min=10, max=31 * 86400)
GRACE = ma.validate.Range(min=0, max=86400)


class HeartbeatCreateSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "name": "nightly-backup",
        "service": "backups",
        "team": "platform-engineering",
        "interval_seconds": 86400,
        "grace_seconds": 3600,
    }

    name = ma.fields.String(required=True, validate=_NAME, metadata={"description": "Unique"})
    service = ma.fields.String(required=True, validate=_NAME, metadata={"description": "The overdue alert's"})
    team = ma.fields.String(allow_none=True, validate=_NAME, metadata={"description": "Who is paged"})
    severity = ma.fields.String(load_default="critical", validate=ma.validate.OneOf(SEVERITIES))
    interval_seconds = ma.fields.Integer(
        strict=True, required=True, validate=INTERVAL, metadata={"description": "Ping at least this often"}
    )
    grace_seconds = ma.fields.Integer(
        strict=True, load_default=60, validate=GRACE, metadata={"description": "Lateness forgiven"}
    )
    integration_key_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "When set, only pings with this integration key count"}
    )
    paused = JsonBoolean(load_default=False)


class HeartbeatChangeSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"paused": True}
    OPENAPI_EXTRA: typing.ClassVar = {"minProperties": 1}

    name = ma.fields.String(validate=_NAME)
    service = ma.fields.String(validate=_NAME)
    team = ma.fields.String(allow_none=True, validate=_NAME)
    severity = ma.fields.String(validate=ma.validate.OneOf(SEVERITIES))
    interval_seconds = ma.fields.Integer(strict=True, validate=INTERVAL)
    grace_seconds = ma.fields.Integer(strict=True, validate=GRACE)
    integration_key_id = ma.fields.UUID(allow_none=True)
    paused = JsonBoolean()

    @ma.validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("Name at least one field to change.")


class HeartbeatSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    service = ma.fields.String()
    team = ma.fields.String(allow_none=True)
    severity = ma.fields.String()
    interval_seconds = ma.fields.Integer()
    grace_seconds = ma.fields.Integer()
    integration_key_id = ma.fields.UUID(allow_none=True)
    paused = ma.fields.Boolean()
    status = ma.fields.String(metadata={"description": "new (never pinged), up, overdue or paused"})
    last_ping_at = ma.fields.DateTime(allow_none=True)
    due_at = ma.fields.DateTime(allow_none=True, metadata={"description": "Overdue from then without a ping"})
    overdue_since = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()
    ping_path = ma.fields.Function(lambda heartbeat: f"/api/v1/heartbeats/{heartbeat['id']}/ping")


class PingAnswerSchema(HeartbeatSchema):
    resolved = ma.fields.Boolean(metadata={"description": "The ping ended an overdue spell and resolved its alert"})


class HeartbeatQueryArgsSchema(PageArgsSchema):
    overdue = ma.fields.Boolean()
