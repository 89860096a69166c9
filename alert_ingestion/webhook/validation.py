"""Checking a mapping (mapping.py) when an admin gives it to a key: every problem named, by field."""

import json

from alert_ingestion.webhook.mapping import FIELDS, MAX_BYTES, MAX_LINKS, PATH_MAX, SCALARS

SPEC_FORMS = "a path string, or an object with one of path, template or value"

# The same rules as JSON Schema, for the OpenAPI document (problems() is what is enforced; they must agree).
PATH_SCHEMA = {"type": "string", "minLength": 1, "maxLength": PATH_MAX, "pattern": r"^[^.]+(\.[^.]+)*$"}
SPEC_SCHEMA = {
    "oneOf": [
        PATH_SCHEMA,
        {
            "type": "object",
            "required": ["path"],
            "properties": {"path": PATH_SCHEMA, "map": {"type": "object"}, "default": {}},
            "additionalProperties": False,
        },
        {
            "type": "object",
            "required": ["template"],
            "properties": {"template": {"type": "string", "pattern": r"\S"}, "default": {}},
            "additionalProperties": False,
        },
        {
            "type": "object",
            "required": ["value"],
            "properties": {"value": {}, "default": {}},
            "additionalProperties": False,
        },
    ]
}
MAPPING_SCHEMA = {
    "required": ["service", "message"],
    "additionalProperties": False,
    "properties": {
        **dict.fromkeys(SCALARS, SPEC_SCHEMA),
        "labels": {"oneOf": [PATH_SCHEMA, {"type": "object", "additionalProperties": SPEC_SCHEMA}]},
        "links": {
            "type": "array",
            "maxItems": MAX_LINKS,
            "items": {
                "type": "object",
                "required": ["href"],
                "properties": {"href": SPEC_SCHEMA, "text": SPEC_SCHEMA},
                "additionalProperties": False,
            },
        },
        "resolve": {
            "type": "object",
            "required": ["path", "equals"],
            "properties": {"path": PATH_SCHEMA, "equals": {"type": "array", "minItems": 1}},
            "additionalProperties": False,
        },
    },
}


def _path_problem(path):
    if not isinstance(path, str) or not path or len(path) > PATH_MAX:
        return f"A path is a non-empty string of at most {PATH_MAX} characters."
    if any(not step for step in path.split(".")):
        return "A path's steps are separated by single dots, none of them empty."
    return None


def spec_problem(spec):
    """Why `spec` is not a field spec, or None."""
    if isinstance(spec, str):
        return _path_problem(spec)
    if not isinstance(spec, dict):
        return f"Must be {SPEC_FORMS}."
    return _first(_object_spec_problems(spec))


def _first(problems):
    return next((problem for problem in problems if problem), None)


def _object_spec_problems(spec):
    if len([name for name in ("path", "template", "value") if name in spec]) != 1:
        yield f"Must be {SPEC_FORMS} (exactly one)."
    unknown = set(spec) - {"path", "template", "value", "map", "default"}
    if unknown:
        yield f"Unknown members: {', '.join(sorted(unknown))}."
    if "path" in spec:
        yield _path_problem(spec["path"])
    if "template" in spec and (not isinstance(spec["template"], str) or not spec["template"].strip()):
        yield "A template is a non-empty string with {path} placeholders."
    if "map" in spec and ("path" not in spec or not isinstance(spec["map"], dict)):
        yield "A map translates a path's value: an object of found value -> value, beside path."


def problems(mapping):
    """{field: [message]} for everything wrong with `mapping`; empty when it is good."""
    if not isinstance(mapping, dict):
        return {"_schema": ["A mapping is an object of alert field -> where its value is."]}
    if len(json.dumps(mapping)) > MAX_BYTES:
        return {"_schema": [f"A mapping is at most {MAX_BYTES} bytes of JSON."]}
    found = {}
    for field, spec in mapping.items():
        problem = _field_problem(field, spec)
        if problem:
            found[field] = [problem]
    if "message" not in mapping or "service" not in mapping:
        found.setdefault("_schema", []).append("A mapping names at least where service and message are.")
    return found


def _field_problem(field, spec):
    if field not in FIELDS:
        return f"Not an alert field: one of {', '.join(FIELDS)}."
    if field in SCALARS:
        return spec_problem(spec)
    return {"labels": _labels_problem, "links": _links_problem, "resolve": _resolve_problem}[field](spec)


def _labels_problem(spec):
    if isinstance(spec, str):
        return _path_problem(spec)
    if not isinstance(spec, dict):
        return "A path to an object, or an object of label name -> spec."
    return _first(f"{name}: {spec_problem(inner)}" for name, inner in spec.items() if spec_problem(inner))


def _links_problem(spec):
    if not isinstance(spec, list) or len(spec) > MAX_LINKS:
        return f"A list of at most {MAX_LINKS} {{href, text?}} objects."
    return _first(_link_problem(link) for link in spec)


def _link_problem(link):
    if not isinstance(link, dict) or "href" not in link or set(link) - {"href", "text"}:
        return "Each link is an object with href and, optionally, text."
    return spec_problem(link["href"]) or ("text" in link and spec_problem(link["text"])) or None


def _resolve_problem(spec):
    if not isinstance(spec, dict) or set(spec) != {"path", "equals"} or not isinstance(spec["equals"], list):
        return 'resolve is {"path": ..., "equals": [values that mean the alert is over]}.'
    return _path_problem(spec["path"]) or (None if spec["equals"] else "equals names at least one value.")
