"""The audit trail's query and answer."""

import marshmallow as ma

from servicekit.fields import Timestamp
from servicekit.params import PageArgsSchema, page_schema

ACTIONS = ("create", "update", "delete")


class AuditQueryArgsSchema(PageArgsSchema):
    actor = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    action = ma.fields.String(validate=ma.validate.OneOf(ACTIONS))
    record_type = ma.fields.String(
        validate=ma.validate.Length(min=1, max=100), metadata={"description": "The table, e.g. incidents, users"}
    )
    record_id = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    since = Timestamp(metadata={"description": "At or after"})
    until = Timestamp(metadata={"description": "Before"})


class AuditEventSchema(ma.Schema):
    id = ma.fields.Integer()
    at = ma.fields.AwareDateTime()
    actor = ma.fields.String(metadata={"description": "The signed-in user, token or key; job:<name> for jobs"})
    client_address = ma.fields.String(allow_none=True)
    action = ma.fields.String(validate=ma.validate.OneOf(ACTIONS))
    record_type = ma.fields.String()
    record_id = ma.fields.String(allow_none=True)
    before = ma.fields.Dict(allow_none=True)
    after = ma.fields.Dict(allow_none=True)


AuditPageSchema = page_schema(AuditEventSchema, "AuditPage")
