"""An example for every schema in the OpenAPI documents, made from the schema itself.

Hand-written examples (a marshmallow schema's OPENAPI_EXAMPLE) are kept; every other component
gets one built from its JSON schema: the first enum value, a sample of the format, the bounds,
nested components' own examples. Built rather than copied, so it can't drift from the fields.
"""

FORMATS = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date-time": "2026-12-01T09:30:00Z",
    "date": "2026-12-01",
    "email": "alice@example.com",
    "uri": "https://grafana.example.com/d/checkout",
    "url": "https://grafana.example.com/d/checkout",
}
# Realistic text for the names the platform uses everywhere; any other string gets its own name.
WORDS = {
    "service": "payments",
    "team": "platform-engineering",
    "message": "Error rate above 5% for 10 minutes",
    "title": "payments: error rate above 5%",
    "name": "Alice",
    "author": "alice@example.com",
    "content": "Rolled back release 42",
    "reason": "No answer from the primary",
    "severity": "high",
    "status": "open",
    "role": "primary",
    "rotation_type": "weekly",
    "bucket": "day",
    "channel": "log",
    "source": "api",
    "event_type": "created",
    "actor": "alice@example.com",
    "text": "Runbook",
    "alt": "Error rate graph",
    "recipient": "alice@example.com",
    "timezone": "Europe/Berlin",
    "time_zone": "Europe/Berlin",
}


def example(schema, components, name=None, depth=0):
    """A value valid for `schema` (a JSON schema dict, $refs into `components`)."""
    if depth > 8 or not isinstance(schema, dict):
        return None
    if "example" in schema:
        return schema["example"]
    if "$ref" in schema:
        return example(components.get(schema["$ref"].rsplit("/", 1)[-1], {}), components, name, depth + 1)
    choices = [value for value in schema.get("enum", []) if value is not None]
    if choices:
        return choices[0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind != "object" and "properties" not in schema:
        combined = schema.get("allOf") or schema.get("anyOf") or schema.get("oneOf")
        if combined:
            return example(combined[0], components, name, depth + 1)
    build = BUILDERS.get("object" if "properties" in schema else kind)
    return build(schema, components, name, depth + 1) if build else None


def _object(schema, components, _name, depth):
    # Write-only fields are secrets (passwords, keys): an example never shows one, not even a made-up one.
    properties = {key: sub for key, sub in schema.get("properties", {}).items() if not sub.get("writeOnly")}
    required = [key for key in properties if key in schema.get("required", [])]
    keys = (required + [key for key in properties if key not in required])[: schema.get("maxProperties")]
    return {key: example(properties[key], components, key, depth) for key in keys}


def _array(schema, components, name, depth):
    item = example(schema.get("items", {}), components, name, depth)
    return [item] * max(1, schema.get("minItems", 1)) if item is not None else []


def _bounded(schema, value):
    value = max(value, schema.get("minimum", value))
    return min(value, schema.get("maximum", value))


def _text(schema, name):
    value = FORMATS.get(schema.get("format")) or WORDS.get(name)
    name = name or "text"
    if value is None and name.endswith(("email", "_by", "assigned_to")):
        value = FORMATS["email"]
    if value is None and name.endswith(("url", "href", "src")):
        value = FORMATS["uri"]
    value = value or name
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    value = value.ljust(low, "x")
    return value[:high] if high is not None else value


BUILDERS = {
    "object": _object,
    "array": _array,
    "integer": lambda schema, *_: _bounded(schema, 1),
    "number": lambda schema, *_: _bounded(schema, 12.5),
    "boolean": lambda *_: False,
    "string": lambda schema, _components, name, _depth: _text(schema, name),
}
