"""Marshmallow schemas of notification rules."""

import typing

import marshmallow as ma

from oncall_service.identity.notification_rules import MAX_DELAY_SECONDS


class NotificationRuleBodySchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "contact_method_id": "0b5e3c1e-6a2f-4f57-9c1b-2d1e8f3a7c10",
        "delay_seconds": 120,
    }

    contact_method_id = ma.fields.UUID(required=True, metadata={"description": "One of the user's contact methods"})
    delay_seconds = ma.fields.Integer(
        strict=True,
        required=True,
        validate=ma.validate.Range(min=0, max=MAX_DELAY_SECONDS),
        metadata={"description": "How long after the page this method is used (0: at once; at most a day)"},
    )


class RuleContactMethodSchema(ma.Schema):
    id = ma.fields.UUID()
    type = ma.fields.String()
    address = ma.fields.String(metadata={"description": "As contact methods show it (Apprise secrets as ****)"})
    label = ma.fields.String(allow_none=True)
    verified = ma.fields.Boolean(metadata={"description": "A rule on an unverified method reaches nobody yet"})


class NotificationRuleSchema(ma.Schema):
    id = ma.fields.UUID()
    user_id = ma.fields.UUID()
    contact_method_id = ma.fields.UUID()
    delay_seconds = ma.fields.Integer()
    contact_method = ma.fields.Nested(RuleContactMethodSchema)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class NotificationRuleListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NotificationRuleSchema), metadata={"description": "Soonest first"})
    uses_default = ma.fields.Boolean(
        metadata={"description": "No rule reaches a verified method: a page goes to every verified method at once"}
    )
