"""A compiled dump gives exactly what marshmallow's own dump gives, field type by field type and on real rows."""

import datetime as dt
import types
import uuid

import marshmallow as ma
import pytest
from marshmallow import utils

import incident_management
from incident_management.lifecycle.schemas import IncidentPageSchema
from incident_management.search import repository as finder
from servicekit import db
from servicekit.dumping import CompiledDump

WHEN = dt.datetime(2026, 12, 3, 9, 30, 15, 123456, tzinfo=dt.UTC)


class LinkSchema(ma.Schema):
    href = ma.fields.String()
    text = ma.fields.String(allow_none=True)


class EverySchema(CompiledDump, ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    count = ma.fields.Integer()
    share = ma.fields.Float(allow_none=True)
    count_text = ma.fields.Integer(as_string=True, attribute="count", dump_only=True)
    flag = ma.fields.Boolean()
    at = ma.fields.DateTime()
    day = ma.fields.Date(allow_none=True)
    labels = ma.fields.Dict()
    links = ma.fields.List(ma.fields.Nested(LinkSchema))
    tags = ma.fields.List(ma.fields.String())
    main_link = ma.fields.Nested(LinkSchema, allow_none=True)
    only_href = ma.fields.Nested(LinkSchema, only=("href",), attribute="main_link", dump_only=True)
    renamed = ma.fields.String(data_key="displayName", attribute="name", dump_only=True)
    defaulted = ma.fields.String(dump_default="none given")
    derived = ma.fields.Function(lambda obj: f"{utils.get_value(obj, 'name')}!")


ROWS = [
    {
        "id": uuid.uuid4(), "name": "disk", "count": 3, "share": 0.5, "flag": True, "at": WHEN,
        "day": WHEN.date(), "labels": {"team": "db"}, "links": [{"href": "https://x.example", "text": None}],
        "tags": ["a", 1], "main_link": {"href": "https://y.example", "text": "y"},
    },
    {  # nulls everywhere they may be, a key absent (defaulted), bytes as text, numbers as strings of digits
        "id": uuid.uuid4(), "name": b"bytes", "count": "7", "share": None, "flag": 0, "at": WHEN, "day": None,
        "labels": {}, "links": [], "tags": [], "main_link": None,
    },
    {"id": None, "name": None, "count": None, "share": 1, "flag": None, "at": None, "day": None, "labels": None,
     "links": None, "tags": None, "main_link": None, "defaulted": "given"},
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS)
def test_each_field_type_dumps_as_marshmallow_dumps_it(row):
    assert EverySchema().dump(row) == ma.Schema.dump(EverySchema(), row)


def test_many_objects_and_attributes_of_objects():
    assert EverySchema(many=True).dump(ROWS) == ma.Schema.dump(EverySchema(many=True), ROWS)
    obj = types.SimpleNamespace(**{**ROWS[0], "main_link": None})  # not a dict: marshmallow's accessor
    assert EverySchema().dump(obj) == ma.Schema.dump(EverySchema(), obj)


def test_only_and_exclude_are_marshmallow_s():
    assert EverySchema(only=("name",)).dump(ROWS[0]) == {"name": "disk"}
    assert "name" not in EverySchema(exclude=("name",)).dump(ROWS[0])


def test_the_incident_list_dumps_as_its_schema_says(make_app):
    app = make_app(incident_management.create_app)
    client = app.test_client()
    for severity in ("critical", "low"):
        incident = {"title": f"{severity} one", "service": "db", "severity": severity}
        created = client.post("/api/v1/incidents", json=incident)
        assert created.status_code == 201
    client.patch(f"/api/v1/incidents/{created.json['id']}", json={"status": "resolved", "note": {"content": "ok"}})

    with app.app_context(), db.transaction() as cur:
        rows, counts, total = finder.find_incidents(cur, {}, "urgency", 50, 0)
    page = {"items": rows, "total": total, "page": 1, "page_size": 50, "severity_counts": counts}
    assert IncidentPageSchema().dump(page) == ma.Schema.dump(IncidentPageSchema(), page)
    assert client.get("/api/v1/incidents?sort=urgency").json == ma.Schema.dump(IncidentPageSchema(), page)
