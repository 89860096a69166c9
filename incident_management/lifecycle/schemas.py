"""Request and response schemas of incident management."""

import datetime as dt
import typing

import marshmallow as ma
from webargs.fields import DelimitedList

from incident_management.lifecycle.rules import SEVERITIES, STATUSES, allowed_transitions
from incident_management.search.repository import SORTS
from servicekit.dumping import CompiledDump
from servicekit.enums import ALERT_STATUSES
from servicekit.fields import Timestamp
from servicekit.params import PageArgsSchema

_UTC = dt.UTC


def _text(max_length, **kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=max_length), **kwargs)


class IncidentCreateSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"title": "Checkout errors", "service": "payments", "severity": "high"}

    title = _text(500, required=True)
    service = _text(200, required=True)
    severity = ma.fields.String(required=True, validate=ma.validate.OneOf(SEVERITIES))
    description = ma.fields.String(validate=ma.validate.Length(max=10000))
    team = _text(200)
    assigned_to = _text(200)
    assigned_email = ma.fields.Email()


class NoteCreateSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"author": "alice", "content": "Rolled back release 42"}

    author = _text(
        200, metadata={"description": "Who writes it; with auth on the signed-in caller, whatever is given here"}
    )
    content = _text(10000, required=True)


class IncidentPatchSchema(ma.Schema):
    OPENAPI_EXTRA: typing.ClassVar = {"anyOf": [{"required": [name]} for name in ("status", "assigned_to", "note")]}

    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    assigned_to = _text(200)
    assigned_email = ma.fields.Email()
    note = ma.fields.Nested(NoteCreateSchema)
    actor = _text(
        200,
        metadata={"description": "Who makes the change (shown in the timeline); with auth on the signed-in caller"},
    )

    @ma.validates_schema
    def not_empty(self, data, **_kwargs):
        if not {"status", "assigned_to", "note"} & data.keys():
            raise ma.ValidationError("Give at least one of status, assigned_to, note.")


class LinkSchema(ma.Schema):
    # Ingestion has checked the address (alert_ingestion/links.py); an alert's copy must still have one.
    href = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2048))
    text = ma.fields.String()


class ImageSchema(ma.Schema):
    src = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2048))
    href = ma.fields.String()
    alt = ma.fields.String()


class AttachAlertSchema(ma.Schema):
    alert_id = ma.fields.UUID(required=True)
    service = _text(200, required=True)
    severity = ma.fields.String(required=True, validate=ma.validate.OneOf(SEVERITIES))
    message = _text(10000, required=True)
    labels = ma.fields.Dict(load_default=dict)
    timestamp = Timestamp(window=None)
    source = _text(100, metadata={"description": "Who sent the alert (api, alertmanager); default api"})
    received_at = Timestamp(window=None, metadata={"description": "When ingestion stored it"})
    links = ma.fields.List(ma.fields.Nested(LinkSchema), load_default=list)
    images = ma.fields.List(ma.fields.Nested(ImageSchema), load_default=list)


class AttachmentSchema(ma.Schema):
    alert_id = ma.fields.UUID()
    incident_id = ma.fields.UUID(allow_none=True, metadata={"description": "None while the alert is held"})
    result = ma.fields.String(
        metadata={"description": "new_incident, existing_incident, or held (below its grouping rule's threshold)"}
    )
    message = ma.fields.String(metadata={"description": "Why a held alert is held"})


class NoteSchema(ma.Schema):
    id = ma.fields.UUID()
    author = ma.fields.String()
    content = ma.fields.String()
    created_at = ma.fields.DateTime()


class TimelineEventSchema(ma.Schema):
    id = ma.fields.Integer()
    event_type = ma.fields.String()
    actor = ma.fields.String(allow_none=True)
    detail = ma.fields.Dict()
    created_at = ma.fields.DateTime()


class IncidentAlertSchema(ma.Schema):
    id = ma.fields.UUID()
    service = ma.fields.String()
    severity = ma.fields.String(validate=ma.validate.OneOf(SEVERITIES))
    message = ma.fields.String()
    labels = ma.fields.Dict()
    links = ma.fields.List(ma.fields.Nested(LinkSchema), metadata={"description": "http(s) only"})
    images = ma.fields.List(ma.fields.Nested(ImageSchema))
    source = ma.fields.String()
    status = ma.fields.String(validate=ma.validate.OneOf(ALERT_STATUSES))
    timestamp = ma.fields.DateTime(attribute="occurred_at")
    received_at = ma.fields.DateTime()
    resolved_at = ma.fields.DateTime(allow_none=True)
    correlation = ma.fields.String()
    attached_at = ma.fields.DateTime()


class IncidentSchema(ma.Schema):
    id = ma.fields.UUID()
    title = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    service = ma.fields.String()
    severity = ma.fields.String(validate=ma.validate.OneOf(SEVERITIES))
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    team = ma.fields.String(allow_none=True)
    assigned_to = ma.fields.String(allow_none=True)
    assigned_email = ma.fields.String(allow_none=True)
    escalation_level = ma.fields.Integer()
    alert_count = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    acknowledged_at = ma.fields.DateTime(allow_none=True)
    in_progress_at = ma.fields.DateTime(allow_none=True)
    resolved_at = ma.fields.DateTime(allow_none=True)
    resolved_by = ma.fields.String(allow_none=True)
    mtta_seconds = ma.fields.Float(allow_none=True)
    mttr_seconds = ma.fields.Float(allow_none=True)
    unpaged = ma.fields.Boolean(
        metadata={"description": "Its escalation policy ran out without reaching anyone: nobody was paged"}
    )
    group_key = ma.fields.String(
        allow_none=True, metadata={"description": "Its group under its service's grouping rule (JSON list of values)"}
    )
    allowed_transitions = ma.fields.Function(
        lambda incident: allowed_transitions(incident["status"]),
        metadata={
            "description": "Statuses this incident may move to next",
            "type": "array",
            "items": {"type": "string", "enum": list(STATUSES)},
        },
    )


class EscalationStateSchema(ma.Schema):
    policy = ma.fields.String(attribute="policy_name", metadata={"description": "The escalation policy it follows"})
    team = ma.fields.String()
    urgency = ma.fields.String(metadata={"description": "high: pages and escalates; low: notifies only"})
    step = ma.fields.Integer(metadata={"description": "The step paged last (0 = the first)"})
    round = ma.fields.Integer(metadata={"description": "How many times the steps ran again (repeats)"})
    step_label = ma.fields.String(metadata={"description": "Whom that step targets, in words"})
    next_escalation_at = ma.fields.DateTime(
        allow_none=True, metadata={"description": "When the next step is due; null when nothing is"}
    )
    final = ma.fields.Boolean(metadata={"description": "At the policy's last step: escalating is refused"})


class IncidentDetailSchema(IncidentSchema):
    links = ma.fields.List(
        ma.fields.Nested(LinkSchema), metadata={"description": "Every link of the alerts below, once each"}
    )
    alerts = ma.fields.List(ma.fields.Nested(IncidentAlertSchema), metadata={"description": "Newest 100"})
    notes = ma.fields.List(ma.fields.Nested(NoteSchema))
    timeline = ma.fields.List(ma.fields.Nested(TimelineEventSchema))
    escalation = ma.fields.Nested(
        EscalationStateSchema, allow_none=True, metadata={"description": "Where it stands in its escalation policy"}
    )


class IncidentQueryArgsSchema(PageArgsSchema):
    q = ma.fields.String(
        validate=ma.validate.Length(max=500),
        metadata={
            "description": "Full-text search of titles, services, descriptions, alert messages and notes "
            '(web search syntax: words, "a phrase", -excluded, a OR b)'
        },
    )
    status = DelimitedList(
        ma.fields.String(validate=ma.validate.OneOf(STATUSES)),
        metadata={"description": "One status or several, comma separated"},
    )
    severity = DelimitedList(
        ma.fields.String(validate=ma.validate.OneOf(SEVERITIES)),
        metadata={"description": "One severity or several, comma separated"},
    )
    service = ma.fields.String()
    team = ma.fields.String()
    assigned_to = ma.fields.String()
    since = Timestamp(metadata={"description": "Created at or after"})
    until = Timestamp(metadata={"description": "Created before"})
    sort = ma.fields.String(
        load_default="newest",
        validate=ma.validate.OneOf(tuple(SORTS)),
        metadata={"description": "newest (default), oldest, urgency (most severe first, then newest), updated"},
    )


class IncidentPageSchema(CompiledDump, ma.Schema):
    items = ma.fields.List(ma.fields.Nested(IncidentSchema))
    total = ma.fields.Integer(metadata={"description": "Incidents matching the filters"})
    page = ma.fields.Integer()
    page_size = ma.fields.Integer()
    severity_counts = ma.fields.Nested(
        ma.Schema.from_dict({severity: ma.fields.Integer() for severity in SEVERITIES}, name="SeverityCounts"),
        metadata={"description": "Incidents matching the filters other than severity, per severity"},
    )


class IncidentMetricsSchema(ma.Schema):
    incident_id = ma.fields.UUID(attribute="id")
    status = ma.fields.String()
    created_at = ma.fields.DateTime()
    acknowledged_at = ma.fields.DateTime(allow_none=True)
    resolved_at = ma.fields.DateTime(allow_none=True)
    mtta_seconds = ma.fields.Float(allow_none=True)
    mttr_seconds = ma.fields.Float(allow_none=True)


class StatsArgsSchema(ma.Schema):
    since = Timestamp(metadata={"description": "Default: all time"})
    until = Timestamp(metadata={"description": "Default: now"})
    bucket = ma.fields.String(load_default="day", validate=ma.validate.OneOf(("hour", "day")))
    service = ma.fields.String()


class ServiceStatsSchema(ma.Schema):
    service = ma.fields.String()
    incidents = ma.fields.Integer()
    mtta_seconds_avg = ma.fields.Float(allow_none=True)
    mttr_seconds_avg = ma.fields.Float(allow_none=True)


class SeriesPointSchema(ma.Schema):
    bucket_start = ma.fields.DateTime()
    incidents = ma.fields.Integer()
    mtta_seconds_avg = ma.fields.Float(allow_none=True)
    mttr_seconds_avg = ma.fields.Float(allow_none=True)


class StatsSchema(ma.Schema):
    since = ma.fields.DateTime(allow_none=True)
    until = ma.fields.DateTime()
    bucket = ma.fields.String()
    series_since = ma.fields.DateTime(metadata={"description": "Start of the series (at most 1000 buckets)"})
    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    total = ma.fields.Integer()
    mtta_seconds_avg = ma.fields.Float(allow_none=True)
    mttr_seconds_avg = ma.fields.Float(allow_none=True)
    by_service = ma.fields.List(ma.fields.Nested(ServiceStatsSchema))
    by_severity = ma.fields.List(
        ma.fields.Nested(
            ma.Schema.from_dict(
                {"severity": ma.fields.String(), "incidents": ma.fields.Integer()}, name="SeverityStats"
            )
        )
    )
    series = ma.fields.List(ma.fields.Nested(SeriesPointSchema))
