"""Request and response schemas of integration keys."""

import typing

import marshmallow as ma

from servicekit.params import PageArgsSchema

_NAME = ma.validate.Length(min=1, max=200)


class IntegrationKeyCreateSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "name": "prometheus-prod",
        "source": "alertmanager",
        "team": "platform-engineering",
    }

    name = ma.fields.String(required=True, validate=_NAME, metadata={"description": "What the key is for"})
    source = ma.fields.String(
        load_default="api",
        validate=ma.validate.Length(min=1, max=100),
        metadata={"description": "The tool that sends with it: alertmanager, pagerduty, grafana, a script, ..."},
    )
    service = ma.fields.String(
        allow_none=True,
        validate=_NAME,
        metadata={"description": "When set, every alert sent with the key belongs to this service"},
    )
    team = ma.fields.String(
        allow_none=True,
        validate=_NAME,
        metadata={"description": "When set, every alert sent with the key has this `team` label (its incident's team)"},
    )
    created_by = ma.fields.String(validate=ma.validate.Length(min=1, max=200), metadata={"description": "Who asks"})


class IntegrationKeyChangeSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"team": "payments"}
    OPENAPI_EXTRA: typing.ClassVar = {"minProperties": 1}

    name = ma.fields.String(validate=_NAME)
    source = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    service = ma.fields.String(allow_none=True, validate=_NAME, metadata={"description": "null: alerts say"})
    team = ma.fields.String(allow_none=True, validate=_NAME, metadata={"description": "null: alerts' labels say"})

    @ma.validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("Name at least one of name, source, service, team.")


class IntegrationKeySchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    source = ma.fields.String()
    service = ma.fields.String(allow_none=True)
    team = ma.fields.String(allow_none=True)
    prefix = ma.fields.String(metadata={"description": "The key's first characters, to recognise it"})
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    revoked_by = ma.fields.String(allow_none=True)
    revoked_at = ma.fields.DateTime(allow_none=True)
    last_alert_at = ma.fields.DateTime(allow_none=True, metadata={"description": "When it last sent an alert"})


class IntegrationKeyCreatedSchema(IntegrationKeySchema):
    key = ma.fields.String(metadata={"description": "The key itself: shown this once, stored only as a digest"})


class IntegrationKeyQueryArgsSchema(PageArgsSchema):
    revoked = ma.fields.Boolean(metadata={"description": "true: only revoked keys; false: only active ones"})
