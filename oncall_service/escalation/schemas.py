"""Request and response schemas of escalation: chains, manual escalation."""

import marshmallow as ma

from oncall_service.schemas import PersonSchema, _team, _text
from servicekit.fields import Timestamp


class ChainArgsSchema(ma.Schema):
    at = Timestamp(metadata={"description": "Who the steps reach at this time (default: now)"})


class TeamChainArgsSchema(ChainArgsSchema):
    team = _team(required=True)


class ChainStepSchema(ma.Schema):
    position = ma.fields.Integer(metadata={"description": "0 = the first step"})
    delay_seconds = ma.fields.Integer(metadata={"description": "How long the step waits for an acknowledgement"})
    label = ma.fields.String(metadata={"description": "Whom the step targets, in words"})
    people = ma.fields.List(ma.fields.Nested(PersonSchema), metadata={"description": "Empty: the step passes on"})


class PolicyRefSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    repeat = ma.fields.Integer(metadata={"description": "How many times the steps run again after the last"})


class ChainSchema(ma.Schema):
    team = ma.fields.String()
    policy = ma.fields.Nested(PolicyRefSchema)
    steps = ma.fields.List(ma.fields.Nested(ChainStepSchema))


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
