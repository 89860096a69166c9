"""Request parameters every service parses the same way: ids in paths, pagination."""

import uuid

import marshmallow as ma

from servicekit.errors import BadRequest

MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000  # page * page_size stays far inside PostgreSQL's bigint OFFSET


def parse_uuid(value, field):
    """Turn a path segment into a UUID, or answer 400 naming the field."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadRequest(f"{field} must be a UUID", errors={field: ["Not a valid UUID."]}) from None


class PageArgsSchema(ma.Schema):
    """`page` (1 to 100000) and `page_size` (1 to 200) query arguments."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    page_size = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=MAX_PAGE_SIZE))


def page_schema(item_schema, name):
    """A list envelope {items, total, page, page_size} around `item_schema` for the OpenAPI document."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "total": ma.fields.Integer(),
            "page": ma.fields.Integer(),
            "page_size": ma.fields.Integer(),
        },
        name=name,
    )


def fetch_page(cur):
    """(rows, total) of an executed page query that selects `count(*) OVER () AS total`."""
    rows = cur.fetchall()
    return rows, (rows[0]["total"] if rows else 0)


def page_of(items, total, args):
    return {"items": items, "total": total, "page": args["page"], "page_size": args["page_size"]}


def offset_of(args):
    return (args["page"] - 1) * args["page_size"]
