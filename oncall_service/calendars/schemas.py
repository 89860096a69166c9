"""Marshmallow schemas of calendar feeds."""

import marshmallow as ma


class CalendarFeedSchema(ma.Schema):
    id = ma.fields.UUID()
    schedule_id = ma.fields.UUID(allow_none=True)
    user_id = ma.fields.UUID(allow_none=True)
    prefix = ma.fields.String(metadata={"description": "The token's first characters, to tell feeds apart"})
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    revoked_at = ma.fields.DateTime(allow_none=True, metadata={"description": "A revoked feed answers 404"})


class CalendarFeedCreatedSchema(CalendarFeedSchema):
    token = ma.fields.String(metadata={"description": "Shown once: only its digest is kept"})
    path = ma.fields.String(metadata={"description": "Where calendars subscribe: this path on the gateway"})


class CalendarFeedListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CalendarFeedSchema), metadata={"description": "Newest first"})
