"""Request and response schemas of maintenance windows."""

import typing

import marshmallow as ma

from alert_ingestion.maintenance import windows
from servicekit.fields import Timestamp, timezone_field
from servicekit.params import PageArgsSchema

_NAME = ma.validate.Length(min=1, max=200)
RECURRENCES = tuple(windows.PERIODS)
MAX_LENGTH = {"daily": windows.PERIODS["daily"], "weekly": windows.PERIODS["weekly"]}


def check_window(data):
    """The rules no single field states; raises ValidationError naming the field."""
    if data.get("service") is None and data.get("team") is None:
        raise ma.ValidationError("A window is for a service, a team or both.", "service")
    if data["ends_at"] <= data["starts_at"]:
        raise ma.ValidationError("Must be after starts_at.", "ends_at")
    longest = MAX_LENGTH.get(data["recurrence"])
    if longest is not None and data["ends_at"] - data["starts_at"] > longest:
        raise ma.ValidationError(f"A {data['recurrence']} window lasts at most {longest}.", "ends_at")
    if data.get("repeat_until") is not None and data["repeat_until"] <= data["starts_at"]:
        raise ma.ValidationError("Must be after starts_at.", "repeat_until")


class MaintenanceWindowFieldsSchema(ma.Schema):
    name = ma.fields.String(validate=_NAME)
    service = ma.fields.String(allow_none=True, validate=_NAME, metadata={"description": "Alerts of this service"})
    team = ma.fields.String(allow_none=True, validate=_NAME, metadata={"description": "Alerts with this team label"})
    starts_at = Timestamp(window="query")
    ends_at = Timestamp(window="query")
    recurrence = ma.fields.String(validate=ma.validate.OneOf(RECURRENCES))
    time_zone = timezone_field("Where a recurring window repeats at the same wall-clock time (default UTC)")
    repeat_until = Timestamp(window="query", allow_none=True, metadata={"description": "Last repetition before it"})
    reason = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))


class MaintenanceWindowCreateSchema(MaintenanceWindowFieldsSchema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "name": "Database upgrade",
        "service": "payments-db",
        "starts_at": "2026-12-05T22:00:00Z",
        "ends_at": "2026-12-06T01:00:00Z",
        "reason": "PostgreSQL 17 upgrade",
    }

    name = ma.fields.String(required=True, validate=_NAME)
    starts_at = Timestamp(window="query", required=True)
    ends_at = Timestamp(window="query", required=True)
    recurrence = ma.fields.String(load_default="none", validate=ma.validate.OneOf(RECURRENCES))
    time_zone = timezone_field(
        "Where a recurring window repeats at the same wall-clock time (default UTC)", load_default="UTC"
    )
    created_by = ma.fields.String(validate=_NAME)

    @ma.validates_schema
    def whole(self, data, **_kwargs):
        check_window(data)


class MaintenanceWindowChangeSchema(MaintenanceWindowFieldsSchema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"ends_at": "2026-12-06T00:30:00Z"}
    OPENAPI_EXTRA: typing.ClassVar = {"minProperties": 1}

    @ma.validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("Name at least one field to change.")


class MaintenanceWindowSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    service = ma.fields.String(allow_none=True)
    team = ma.fields.String(allow_none=True)
    starts_at = ma.fields.DateTime()
    ends_at = ma.fields.DateTime()
    recurrence = ma.fields.String()
    time_zone = ma.fields.String(metadata={"description": "IANA time zone its repetitions follow"})
    repeat_until = ma.fields.DateTime(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    active = ma.fields.Boolean(metadata={"description": "On now: alerts it covers are suppressed"})
    next_start = ma.fields.DateTime(allow_none=True, metadata={"description": "The occurrence on now or next"})
    next_end = ma.fields.DateTime(allow_none=True)


class MaintenanceWindowQueryArgsSchema(PageArgsSchema):
    service = ma.fields.String()
    team = ma.fields.String()
