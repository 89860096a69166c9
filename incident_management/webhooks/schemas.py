"""Request and response schemas of outgoing webhook subscriptions and their delivery log."""

import typing

import marshmallow as ma

from incident_management.webhooks.rules import EVENT_TYPES
from servicekit.enums import WEBHOOK_DELIVERY_STATUSES
from servicekit.fields import JsonBoolean
from servicekit.params import PageArgsSchema

_TEAM = ma.validate.Length(min=1, max=100)
_SERVICE = ma.validate.Length(min=1, max=200)
_URL = ma.validate.Length(min=1, max=2000)


def _events(**kwargs):
    """The list of event types a subscription wants: at least one, each a known one."""
    return ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(EVENT_TYPES)),
        validate=ma.validate.Length(min=1, max=len(EVENT_TYPES) * 2),
        metadata={"description": f"Any of {', '.join(EVENT_TYPES)}"},
        **kwargs,
    )


class WebhookSubscriptionFieldsSchema(ma.Schema):
    url = ma.fields.String(validate=_URL, metadata={"description": "http(s) URL the events are POSTed to"})
    event_types = _events()
    service = ma.fields.String(allow_none=True, validate=_SERVICE, metadata={"description": "Only this service"})
    description = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))
    enabled = JsonBoolean()

    @ma.post_load
    def unique_events(self, data, **_kwargs):
        if "event_types" in data:  # each once, in lifecycle order
            data["event_types"] = [event for event in EVENT_TYPES if event in data["event_types"]]
        return data


class WebhookSubscriptionCreateSchema(WebhookSubscriptionFieldsSchema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "team": "payments",
        "url": "https://hooks.example.com/incidents",
        "event_types": ["incident.opened", "incident.resolved"],
    }

    team = ma.fields.String(required=True, validate=_TEAM, metadata={"description": "Incidents of this team"})
    url = ma.fields.String(required=True, validate=_URL)
    event_types = _events(load_default=lambda: list(EVENT_TYPES))
    enabled = JsonBoolean(load_default=True)


class WebhookSubscriptionChangeSchema(WebhookSubscriptionFieldsSchema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"enabled": False}
    OPENAPI_EXTRA: typing.ClassVar = {"minProperties": 1}

    @ma.validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("Name at least one field to change.")


class WebhookSubscriptionSchema(ma.Schema):
    id = ma.fields.UUID()
    team = ma.fields.String()
    url = ma.fields.String()
    event_types = ma.fields.List(ma.fields.String())
    service = ma.fields.String(allow_none=True)
    description = ma.fields.String(allow_none=True)
    enabled = ma.fields.Boolean()
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class WebhookSubscriptionSecretSchema(WebhookSubscriptionSchema):
    secret = ma.fields.String(
        metadata={
            "description": "The signing secret: shown this once, store it now",
            "example": "<whsec_..., shown once>",
        }
    )


class WebhookSubscriptionQueryArgsSchema(PageArgsSchema):
    team = ma.fields.String(validate=_TEAM)


class WebhookDeliveryQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(WEBHOOK_DELIVERY_STATUSES))


class WebhookDeliverySchema(ma.Schema):
    id = ma.fields.UUID(metadata={"description": "Sent as X-Incident-Delivery, the same on every attempt"})
    subscription_id = ma.fields.UUID()
    event_id = ma.fields.UUID()
    event_type = ma.fields.String()
    incident_id = ma.fields.UUID(allow_none=True)
    status = ma.fields.String(metadata={"description": ", ".join(WEBHOOK_DELIVERY_STATUSES)})
    attempts = ma.fields.Integer()
    last_status_code = ma.fields.Integer(allow_none=True)
    last_error = ma.fields.String(allow_none=True)
    next_attempt_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()
    last_attempt_at = ma.fields.DateTime(allow_none=True)
    finished_at = ma.fields.DateTime(allow_none=True)
