"""Request and response schemas of the on-call service."""

import datetime as dt
import re
import typing

import marshmallow as ma

from oncall_service.rotation import ROLES, ROTATION_TYPES
from servicekit.fields import Timestamp, timezone_field
from servicekit.params import PageArgsSchema

_UTC = dt.UTC
MAX_MEMBERS = 100
TEAM_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/-]*$")
HANDOFF_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _text(max_length, **kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=max_length), **kwargs)


def _team(**kwargs):
    return ma.fields.String(
        validate=[
            ma.validate.Length(min=1, max=100),
            ma.validate.Regexp(
                TEAM_PATTERN,
                error="Team names start with a letter or digit and use letters, digits, spaces and . _ / - only.",
            ),
        ],
        metadata={"description": "Team name, matched without regard to letter case (e.g. platform-engineering)"},
        **kwargs,
    )


class HandoffTime(ma.fields.Field):
    """A wall-clock time written "HH:MM"."""

    default_error_messages: typing.ClassVar = {"invalid": 'Not a valid time: use "HH:MM" (00:00 to 23:59).'}

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.fullmatch(HANDOFF_PATTERN, value):
            raise self.make_error("invalid")
        return dt.time(int(value[:2]), int(value[3:]))


class MemberSchema(ma.Schema):
    name = _text(200, required=True)
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=320))
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))

    @ma.pre_load
    def normalise(self, data, **_kwargs):
        if isinstance(data, dict):
            data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return data


class ScheduleMemberSchema(MemberSchema):
    user_id = ma.fields.UUID(metadata={"description": "The user this member is (matched by e-mail, or created)"})


def _validate_members(members):
    """At least one primary; nobody twice in one role."""
    if not any(member["role"] == "primary" for member in members):
        raise ma.ValidationError("At least one member must have the role primary.")
    seen = set()
    for member in members:
        key = (member["role"], member["email"].lower())
        if key in seen:
            raise ma.ValidationError(f"{member['email']} is listed twice as {member['role']}.")
        seen.add(key)


class ScheduleCreateSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "team": "platform-engineering",
        "rotation_type": "weekly",
        "members": [
            {"name": "Alice", "email": "alice@example.com", "role": "primary"},
            {"name": "Bob", "email": "bob@example.com", "role": "secondary"},
        ],
    }

    team = _team(required=True)
    rotation_type = ma.fields.String(required=True, validate=ma.validate.OneOf(ROTATION_TYPES))
    members = ma.fields.List(
        ma.fields.Nested(MemberSchema),
        required=True,
        validate=[ma.validate.Length(min=1, max=MAX_MEMBERS), _validate_members],
        metadata={"description": "In rotation order within each role"},
    )
    timezone = timezone_field("IANA time zone of the handoff", load_default="UTC")
    handoff_time = HandoffTime(
        load_default=dt.time(0, 0),
        metadata={"description": '"HH:MM" in the time zone', "type": "string", "pattern": HANDOFF_PATTERN},
    )
    rotation_start = ma.fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "First day of the rotation; without it SPEC's iso_week % n rule applies"},
    )
    escalation_timeout_seconds = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=86400),
        metadata={"description": "Unacknowledged incidents escalate after this long (default 300)"},
    )

    @ma.pre_load
    def normalise(self, data, **_kwargs):
        if isinstance(data, dict) and isinstance(data.get("team"), str):
            data = {**data, "team": data["team"].strip()}
        return data


class SchedulePatchSchema(ScheduleCreateSchema):
    """Any subset of the fields; `members`, when given, replaces the whole list."""

    OPENAPI_EXTRA: typing.ClassVar = {"minProperties": 1}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Partial at the top level only: a member given still needs its name, email and role.
        self.partial = tuple(self.fields)

    @ma.validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("Give at least one field to change.")


class ScheduleSchema(ma.Schema):
    id = ma.fields.UUID()
    team = ma.fields.String()
    rotation_type = ma.fields.String()
    members = ma.fields.List(ma.fields.Nested(ScheduleMemberSchema))
    timezone = ma.fields.String()
    handoff_time = HandoffTime()
    rotation_start = ma.fields.Date(allow_none=True)
    escalation_timeout_seconds = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class ScheduleQueryArgsSchema(PageArgsSchema):
    team = ma.fields.String()


class OverrideCreateSchema(MemberSchema):
    start = Timestamp(required=True)
    end = Timestamp(required=True)

    @ma.validates_schema
    def valid_range(self, data, **_kwargs):
        if data["end"] <= data["start"]:
            raise ma.ValidationError("Must be after start.", field_name="end")
        if data["end"] - data["start"] > dt.timedelta(days=366):
            raise ma.ValidationError("An override covers at most 366 days.", field_name="end")


class OverrideSchema(ma.Schema):
    id = ma.fields.UUID()
    schedule_id = ma.fields.UUID()
    name = ma.fields.String()
    email = ma.fields.String()
    user_id = ma.fields.UUID()
    role = ma.fields.String()
    start = ma.fields.DateTime()
    end = ma.fields.DateTime()
    created_at = ma.fields.DateTime()


class OverrideQueryArgsSchema(PageArgsSchema):
    ending_after = Timestamp(metadata={"description": "Only overrides that end after this time (e.g. now)"})


class PersonSchema(ma.Schema):
    name = ma.fields.String()
    email = ma.fields.String()


class CurrentArgsSchema(ma.Schema):
    team = _text(100, required=True)
    at = Timestamp(metadata={"description": "Default: now"})


class CurrentSchema(ma.Schema):
    team = ma.fields.String()
    primary = ma.fields.Nested(PersonSchema)
    secondary = ma.fields.Nested(PersonSchema, allow_none=True)
    shift_start = ma.fields.DateTime()
    shift_end = ma.fields.DateTime()
    override = ma.fields.Boolean(metadata={"description": "An override replaces someone of the rotation"})


class ShiftsArgsSchema(ma.Schema):
    team = _text(100, required=True)
    since = Timestamp(metadata={"description": "Default: now"})
    until = Timestamp(metadata={"description": "Default: since + 4 weeks"})


class ShiftSchema(ma.Schema):
    start = ma.fields.DateTime()
    end = ma.fields.DateTime()
    primary = ma.fields.Nested(PersonSchema)
    secondary = ma.fields.Nested(PersonSchema, allow_none=True)
    override = ma.fields.Boolean()


class ShiftsSchema(ma.Schema):
    team = ma.fields.String()
    timezone = ma.fields.String()
    shifts = ma.fields.List(ma.fields.Nested(ShiftSchema))
