"""Request and response schemas of escalation: chains, manual escalation."""

import typing

import marshmallow as ma

from oncall_service.rotation import ROLES
from oncall_service.schemas import HANDOFF_PATTERN, PersonSchema, _team, _text
from servicekit.fields import Timestamp, timezone_field
from servicekit.params import PageArgsSchema


class ChainArgsSchema(ma.Schema):
    at = Timestamp(metadata={"description": "Who the steps reach at this time (default: now)"})


class TeamChainArgsSchema(ChainArgsSchema):
    team = _text(100, metadata={"description": "The incident's team (wins over the service's route)"})
    service = _text(200, metadata={"description": "The incident's service: its route, if it has one"})
    fallback_team = _text(100, metadata={"description": "The team when neither the incident nor its service names one"})


class ChainPersonSchema(PersonSchema):
    updates = ma.fields.List(
        ma.fields.String(), metadata={"description": "What they opted in to hear afterwards (paging preferences)"}
    )


class PagingPreferencesSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"updates": ["acknowledged", "resolved"]}

    updates = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(("acknowledged", "resolved", "reassigned"))),
        required=True,
        validate=ma.validate.Length(max=3),
        metadata={"description": "acknowledged, resolved, reassigned: of incidents the user was paged for"},
    )


class ChainStepSchema(ma.Schema):
    position = ma.fields.Integer(metadata={"description": "0 = the first step"})
    delay_seconds = ma.fields.Integer(metadata={"description": "How long the step waits for an acknowledgement"})
    label = ma.fields.String(metadata={"description": "Whom the step targets, in words"})
    people = ma.fields.List(ma.fields.Nested(ChainPersonSchema), metadata={"description": "Empty: the step passes on"})


class PolicyRefSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    repeat = ma.fields.Integer(metadata={"description": "How many times the steps run again after the last"})


class ChainSchema(ma.Schema):
    team = ma.fields.String()
    policy = ma.fields.Nested(PolicyRefSchema)
    steps = ma.fields.List(ma.fields.Nested(ChainStepSchema))
    urgency = ma.fields.Dict(metadata={"description": "The service's own severity -> urgency mapping ({} if none)"})
    working_hours = ma.fields.Dict(allow_none=True, metadata={"description": "The policy's working hours"})


class EscalateSchema(ma.Schema):
    incident_id = ma.fields.UUID(required=True)
    team = _team()  # the team to escalate along when the incident has none
    reason = ma.fields.String(validate=ma.validate.Length(min=1, max=1000))
    actor = _text(200, metadata={"description": "Who escalates (shown in the incident's timeline)"})


class EscalationResultSchema(ma.Schema):
    incident_id = ma.fields.UUID()
    team = ma.fields.String()
    level = ma.fields.Integer(metadata={"description": "How many steps the incident has moved on (1 = the second)"})
    assigned_to = ma.fields.Nested(PersonSchema)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEVERITIES = ("critical", "high", "medium", "low")
URGENCIES = ("high", "low")
TARGET_TYPES = ("schedule", "user", "team")
CLOCK = {"type": "string", "pattern": HANDOFF_PATTERN}


class StrictBoolean(ma.fields.Boolean):
    """true or false only: JSON's 0, 1 and "yes" are refused (marshmallow's Boolean takes them)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class TargetSchema(ma.Schema):
    """Whom a step reaches: a schedule's on-call (primary or secondary), a person, or everyone in a team."""

    type = ma.fields.String(required=True, validate=ma.validate.OneOf(TARGET_TYPES))
    schedule_id = ma.fields.UUID(metadata={"description": "type schedule: the schedule (it must exist)"})
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES), metadata={"description": "type schedule (primary)"})
    email = ma.fields.Email(validate=ma.validate.Length(max=320), metadata={"description": "type user (or user_id)"})
    user_id = ma.fields.UUID(metadata={"description": "type user: a user of the platform (or email)"})
    name = _text(200, metadata={"description": "type user (default: the e-mail address)"})
    team = _team()

    @ma.validates_schema
    def check_fields_of_type(self, data, **_kwargs):
        needed = {"schedule": ("schedule_id",), "user": ("user_id", "email"), "team": ("team",)}[data["type"]]
        if not any(field in data for field in needed):
            wanted = " or ".join(needed)
            raise ma.ValidationError(f"A {data['type']} target needs {wanted}.", field_name=needed[-1])

    @ma.post_load
    def only_what_the_type_uses(self, data, **_kwargs):
        keep = {"schedule": ("schedule_id", "role"), "user": ("user_id", "email", "name"), "team": ("team",)}
        target = {"type": data["type"], **{key: data[key] for key in keep[data["type"]] if key in data}}
        for key in ("schedule_id", "user_id"):
            if key in target:
                target[key] = str(target[key])
        if data["type"] == "schedule":
            target.setdefault("role", "primary")
        return target


class StepSchema(ma.Schema):
    delay_seconds = ma.fields.Integer(
        strict=True,
        required=True,
        validate=ma.validate.Range(min=1, max=86400),
        metadata={"description": "How long the step waits for an acknowledgement before the next one"},
    )
    targets = ma.fields.List(ma.fields.Nested(TargetSchema), required=True, validate=ma.validate.Length(min=1, max=20))


class WorkingHoursSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "timezone": "Europe/Berlin",
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "start": "09:00",
        "end": "17:00",
    }

    timezone = timezone_field(load_default="UTC")
    days = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(WEEKDAYS)),
        load_default=list(WEEKDAYS[:5]),
        validate=ma.validate.Length(min=1, max=7),
    )
    start = ma.fields.String(load_default="09:00", validate=ma.validate.Regexp(HANDOFF_PATTERN), metadata=CLOCK)
    end = ma.fields.String(load_default="17:00", validate=ma.validate.Regexp(HANDOFF_PATTERN), metadata=CLOCK)

    @ma.validates_schema
    def check_order(self, data, **_kwargs):
        if data.get("start", "09:00") >= data.get("end", "17:00"):
            raise ma.ValidationError("Working hours end after they start.", field_name="end")


class PolicyCreateSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "team": "platform-engineering",
        "name": "Business hours",
        "steps": [{"delay_seconds": 300, "targets": [{"type": "user", "email": "alice@example.com"}]}],
    }

    team = _team(required=True)
    name = _text(200, required=True)
    repeat = ma.fields.Integer(strict=True, load_default=0, validate=ma.validate.Range(min=0, max=9))
    is_default = StrictBoolean(
        load_default=False,
        metadata={"description": "The team's default policy (a team's first policy always is)"},
    )
    working_hours = ma.fields.Nested(
        WorkingHoursSchema,
        allow_none=True,
        load_default=None,
        metadata={"description": "Low-urgency incidents are notified within these hours only"},
    )
    steps = ma.fields.List(ma.fields.Nested(StepSchema), required=True, validate=ma.validate.Length(min=1, max=20))


class PolicySchema(ma.Schema):
    id = ma.fields.UUID()
    team = ma.fields.String()
    name = ma.fields.String()
    repeat = ma.fields.Integer()
    is_default = ma.fields.Boolean()
    follows_schedule = ma.fields.Function(
        lambda policy: policy["from_schedule"] is not None,
        metadata={"description": "Made from a schedule: follows its timeout until edited"},
    )
    working_hours = ma.fields.Nested(WorkingHoursSchema, allow_none=True)
    steps = ma.fields.List(ma.fields.Nested(StepSchema))
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class PolicyQueryArgsSchema(PageArgsSchema):
    team = ma.fields.String()


class RouteCreateSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "service": "checkout",
        "team": "platform-engineering",
        "urgency": {"high": "low"},
    }

    service = _text(200, required=True)
    team = _team(required=True)
    policy_id = ma.fields.UUID(
        allow_none=True, load_default=None, metadata={"description": "A policy of the team (default: its default)"}
    )
    urgency = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(SEVERITIES)),
        values=ma.fields.String(validate=ma.validate.OneOf(URGENCIES)),
        load_default=dict,
        metadata={"description": "severity -> high|low where this service differs from the default"},
    )


class RoutePolicySchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()


class RouteSchema(ma.Schema):
    id = ma.fields.UUID()
    service = ma.fields.String()
    team = ma.fields.String()
    policy = ma.fields.Nested(
        RoutePolicySchema, allow_none=True, metadata={"description": "The route's own policy; null: the team's default"}
    )
    urgency = ma.fields.Dict()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class RouteQueryArgsSchema(PageArgsSchema):
    team = ma.fields.String()
