"""Request and response schemas of grouping rules and of moving alerts between incidents."""

import typing

import marshmallow as ma

from incident_management.grouping import rules

# "new", or an incident id (a UUID in its usual spelling).
TARGET = r"^(new|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"


class GroupingRulePutSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"group_by": ["labels.alertname"], "threshold": 1}

    group_by = ma.fields.List(
        ma.fields.String(
            validate=ma.validate.Regexp(rules.FIELD, error="Not a field: use labels.<name>, message or source.")
        ),
        required=True,
        validate=ma.validate.Length(min=1, max=rules.MAX_FIELDS),
        metadata={
            "description": "Alert fields whose values make the group, each once: labels.<name>, message, source",
            "uniqueItems": True,
        },
    )
    threshold = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(min=1, max=rules.MAX_THRESHOLD),
        metadata={"description": "Open an incident only once this many alerts of a group arrived in the window"},
    )

    @ma.validates("group_by")
    def known_fields_each_once(self, value, **_kwargs):
        problems = [problem for problem in map(rules.invalid_field, value) if problem]
        if problems:
            raise ma.ValidationError(problems)
        if len(set(value)) != len(value):
            raise ma.ValidationError("Name each field once.")


class GroupingRuleSchema(ma.Schema):
    service = ma.fields.String()
    group_by = ma.fields.List(ma.fields.String())
    threshold = ma.fields.Integer()
    updated_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


def _actor():
    return ma.fields.String(
        validate=ma.validate.Length(min=1, max=200),
        metadata={"description": "Who makes the change (shown in the timeline); with auth on the signed-in caller"},
    )


class AlertMoveSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"to": "new"}

    to = ma.fields.String(
        required=True,
        validate=ma.validate.Regexp(TARGET, error="An incident id or new."),
        metadata={"description": "The incident to move the alert to (its id), or new: split it into a new incident"},
    )
    actor = _actor()


class IncidentMergeSchema(ma.Schema):
    into = ma.fields.UUID(required=True, metadata={"description": "The incident that takes every alert of this one"})
    actor = _actor()


class MoveResultSchema(ma.Schema):
    alert_ids = ma.fields.List(ma.fields.UUID(), metadata={"description": "The alerts moved"})
    from_incident_id = ma.fields.UUID()
    to_incident_id = ma.fields.UUID()
    created = ma.fields.Boolean(metadata={"description": "The target is a new incident (a split)"})
    source_resolved = ma.fields.Boolean(metadata={"description": "The source was left with nothing firing: resolved"})
