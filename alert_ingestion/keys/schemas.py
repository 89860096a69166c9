"""Request and response schemas of integration keys."""

import typing

import marshmallow as ma

from alert_ingestion.keys.signature import DEFAULT_HEADERS, HEADER_PATTERN
from alert_ingestion.webhook import validation
from servicekit.params import PageArgsSchema

_NAME = ma.validate.Length(min=1, max=200)
_HEADER = ma.validate.Regexp(HEADER_PATTERN, error="A header name: letters, digits and dashes, at most 100.")


class MappingField(ma.fields.Dict):
    """A webhook mapping, checked whole: its problems are named by the mapping's own fields."""

    def _deserialize(self, value, attr, data, **kwargs):
        mapping = super()._deserialize(value, attr, data, **kwargs)
        problems = validation.problems(mapping)
        if problems:
            raise ma.ValidationError(problems)
        return mapping


def _mapping_field():
    return MappingField(
        allow_none=True,
        metadata={
            **validation.MAPPING_SCHEMA,
            "description": "How POST /api/v1/alerts/webhook makes an alert of this key's bodies: alert field -> a "
            "path (`event.severity`), or {path, map, default}, {template}, {value}; labels, links, resolve "
            "(docs/integrations.md). null: bodies are read as POST /api/v1/alerts reads them.",
        },
    )


def _settable_fields():
    """What a key may be given beside its names: signing (keys.signature) and a mapping; null clears each."""
    return {
        "mapping": _mapping_field(),
        "signing_secret": ma.fields.String(
            allow_none=True,
            load_only=True,
            validate=ma.validate.Length(min=16, max=200),
            metadata={"description": "HMAC-SHA256 secret the source signs each request with (never shown again)"},
        ),
        "signature_header": ma.fields.String(
            allow_none=True,
            validate=_HEADER,
            metadata={"description": f"Where the signature is; null: {' or '.join(DEFAULT_HEADERS)}"},
        ),
        "signature_timestamp_header": ma.fields.String(
            allow_none=True,
            validate=_HEADER,
            metadata={"description": "Where the signing time (Unix seconds) is, when the source signs `<time>:<body>`"},
        ),
    }


class IntegrationKeyCreateSchema(ma.Schema.from_dict(_settable_fields())):
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


class IntegrationKeyChangeSchema(ma.Schema.from_dict(_settable_fields())):
    OPENAPI_EXAMPLE: typing.ClassVar = {"team": "payments"}
    OPENAPI_EXTRA: typing.ClassVar = {"minProperties": 1}

    name = ma.fields.String(validate=_NAME)
    source = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    service = ma.fields.String(allow_none=True, validate=_NAME, metadata={"description": "null: alerts say"})
    team = ma.fields.String(allow_none=True, validate=_NAME, metadata={"description": "null: alerts' labels say"})

    @ma.validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("Name at least one of name, source, service, team or a signing setting.")


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
    signed = ma.fields.Function(
        lambda key: bool(key.get("signing_secret")),
        metadata={"description": "Takes only requests signed with its signing secret"},
    )
    signature_header = ma.fields.String(allow_none=True)
    signature_timestamp_header = ma.fields.String(allow_none=True)
    mapping = ma.fields.Dict(allow_none=True)


class IntegrationKeyCreatedSchema(IntegrationKeySchema):
    key = ma.fields.String(metadata={"description": "The key itself: shown this once, stored only as a digest"})


class IntegrationKeyQueryArgsSchema(PageArgsSchema):
    revoked = ma.fields.Boolean(metadata={"description": "true: only revoked keys; false: only active ones"})
