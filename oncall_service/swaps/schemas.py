"""Marshmallow schemas of shift swaps."""

import datetime as dt
import typing

import marshmallow as ma

from oncall_service.rotation import ROLES
from servicekit.enums import SWAP_STATUSES
from servicekit.fields import Timestamp
from servicekit.params import PageArgsSchema

MAX_SWAP = dt.timedelta(days=31)


class PersonSchema(ma.Schema):
    """Who acts; without it, the signed-in caller."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    email = ma.fields.Email(validate=ma.validate.Length(max=320))


class SwapOfferSchema(PersonSchema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "role": "primary",
        "start": "2026-12-24T18:00:00Z",
        "end": "2026-12-26T09:00:00Z",
        "note": "Family visit over Christmas",
    }

    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))
    start = Timestamp(required=True)
    end = Timestamp(required=True)
    note = ma.fields.String(validate=ma.validate.Length(max=1000))

    @ma.validates_schema
    def valid_range(self, data, **_kwargs):
        if "start" in data and "end" in data:
            if data["end"] <= data["start"]:
                raise ma.ValidationError("Must be after start.", field_name="end")
            if data["end"] - data["start"] > MAX_SWAP:
                raise ma.ValidationError("A swap covers at most 31 days.", field_name="end")


class SwapTakeSchema(PersonSchema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"name": "Carol", "email": "carol@example.com"}


class SwapSchema(ma.Schema):
    id = ma.fields.UUID()
    schedule_id = ma.fields.UUID()
    role = ma.fields.String()
    start = ma.fields.DateTime()
    end = ma.fields.DateTime()
    offered_name = ma.fields.String()
    offered_email = ma.fields.String()
    note = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(SWAP_STATUSES)})
    taken_name = ma.fields.String(allow_none=True)
    taken_email = ma.fields.String(allow_none=True)
    override_id = ma.fields.UUID(allow_none=True, metadata={"description": "The override the taking made"})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class SwapQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(SWAP_STATUSES))
    ending_after = Timestamp(metadata={"description": "Only swaps that end after this time (e.g. now)"})
