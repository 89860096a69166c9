"""Every operation of the four OpenAPI documents has a summary and an example, and every example is valid.

Walks the documents the services serve, so a new endpoint or schema can't go without.
"""

import copy

import jsonschema
import pytest

import alert_ingestion
import incident_management
import notification_service
import oncall_service
from servicekit import examples

SERVICES = [alert_ingestion, incident_management, oncall_service, notification_service]
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(params=SERVICES, ids=lambda module: module.__name__)
def document(request, make_app):
    app = make_app(request.param.create_app)
    return app.test_client().get("/docs/openapi.json").get_json()


def _operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method], item.get("parameters", [])


def _has_example(operation, path_parameters):
    """An example of what the operation takes or gives: body, a 2xx answer, or a parameter.

    An operation that takes nothing and answers with no body (e.g. POST /auth/logout: 204) has none to give.
    """
    contents = list(operation.get("requestBody", {}).get("content", {}).values())
    for code, answer in operation["responses"].items():
        if code.startswith("2") and isinstance(answer, dict):
            contents += answer.get("content", {}).values()
    if not contents and not path_parameters and not operation.get("parameters"):
        return True
    if any("example" in content or "$ref" in content.get("schema", {}) for content in contents):
        return True
    if any("example" in content.get("schema", {}).get("items", {}) for content in contents):
        return True
    return any("example" in parameter for parameter in [*path_parameters, *operation.get("parameters", [])])


def _as_json_schema(schema):
    """OpenAPI 3.0's `nullable` as JSON Schema, so jsonschema can check the examples.

    Write-only fields (secrets) are left out of every example, so they are not required of one.
    """
    if isinstance(schema, list):
        return [_as_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: _as_json_schema(value) for key, value in schema.items() if key not in ("example", "nullable")}
    hidden = {
        key for key, sub in schema.get("properties", {}).items() if isinstance(sub, dict) and sub.get("writeOnly")
    }
    if hidden and "required" in converted:
        converted["required"] = [key for key in converted["required"] if key not in hidden]
        converted["minProperties"] = min(converted.get("minProperties", 0), len(converted["required"]))
    if schema.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_every_operation_has_a_summary_and_an_example(document):
    missing = [
        name
        for name, operation, parameters in _operations(document)
        if not operation.get("summary") or not _has_example(operation, parameters)
    ]
    assert missing == []


def test_every_component_has_an_example_its_own_schema_accepts(document):
    schemas = document["components"]["schemas"]
    root = {"components": {"schemas": _as_json_schema(copy.deepcopy(schemas))}}
    for name, schema in schemas.items():
        assert "example" in schema, name
        validator = jsonschema.Draft7Validator({**root, "$ref": f"#/components/schemas/{name}"})
        errors = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(schema["example"])]
        assert errors == [], name


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "format": "uuid"}, examples.FORMATS["uuid"]),
        ({"type": "string", "enum": [None, "high", "low"]}, "high"),
        ({"type": "integer", "minimum": 5, "maximum": 10}, 5),
        ({"type": "integer", "maximum": 0}, 0),
        ({"type": "number"}, 12.5),
        ({"type": "string", "minLength": 3}, "text"),
        ({"type": "string", "maxLength": 2}, "te"),
        ({"type": "array", "items": {"type": "boolean"}}, [False]),
        ({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}, "2026-12-01"),
        ({"type": "object", "properties": {"p": {"type": "string", "writeOnly": True}}}, {}),
        ({"$ref": "#/components/schemas/Known"}, {"service": "payments"}),
    ],
)
def test_an_example_is_built_from_the_schema(schema, expected):
    components = {"Known": {"type": "object", "properties": {"service": {"type": "string"}}}}
    assert examples.example(schema, components) == expected


def test_names_give_realistic_text():
    assert examples.example({"type": "string"}, {}, "assigned_email") == "alice@example.com"
    assert examples.example({"type": "string"}, {}, "runbook_url").startswith("https://")
    assert examples.example({"type": "string"}, {}, "fingerprint") == "fingerprint"
