"""The OpenAPI documents say what every operation can answer, once for all services.

An apispec plugin that runs as each path is documented:
- path ids (`{alert_id}`, `{incident_id}`, ...) are `format: uuid`;
- a marshmallow schema's `OPENAPI_EXTRA` (rules across its fields) is added to its component,
  and its `OPENAPI_EXAMPLE` as the component's example; a component without one gets an example
  built from its own schema (servicekit.examples), and so do path ids, so every operation has one;
- the error answers servicekit gives for whole classes of requests are listed with the error
  schema: 400 (malformed id or JSON, JSON nested too deeply), 404 (unknown id), 413 (body over
  the limit), 415 (a body that is not JSON), 422 (invalid fields), 503 with Retry-After (the
  database is unavailable). Answers only some operations give (409, a 404 without an id in the
  path) are documented by those views with `alt_response`;
- with AUTH_REQUIRED on, the credentials each operation takes (servicekit.auth's policies: security
  schemes, 401/403 and `x-required-role`); with it off, none.
"""

import http

from apispec import BasePlugin

from servicekit import examples
from servicekit.auth.policy import SECURITY_SCHEMES

DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
BODY_METHODS = ("post", "put", "patch")


def _ref(code):
    return http.HTTPStatus(code).name


class ServiceKitPlugin(BasePlugin):
    def __init__(self, auth_required=True):
        # Without auth (AUTH_REQUIRED=false) no operation needs a credential: the documents say so.
        self.auth_required = auth_required

    def init_spec(self, spec):
        self.spec = spec
        if self.auth_required:
            for name, scheme in SECURITY_SCHEMES.items():
                spec.components.security_scheme(name, scheme)
        spec.components.response(
            DATABASE_UNAVAILABLE,
            {
                "description": "The database is unavailable (e.g. restarting); try again after Retry-After seconds",
                "content": {"application/json": {"schema": "Error"}},
                "headers": {
                    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}
                },
            },
        )

    def schema_helper(self, name, definition, **kwargs):
        """A schema's OPENAPI_EXTRA (rules across fields, e.g. anyOf required) joins its component."""
        schema = kwargs.get("schema")
        extra = dict(getattr(schema, "OPENAPI_EXTRA", None) or {})
        if getattr(schema, "OPENAPI_EXAMPLE", None) is not None:
            extra["example"] = schema.OPENAPI_EXAMPLE
        else:
            extra["example"] = examples.example({**definition, **extra}, self.spec.components.schemas)
        return {**definition, **extra}

    def path_helper(self, path=None, operations=None, parameters=None, **kwargs):
        for parameter in parameters or []:
            if parameter.get("in") == "path" and parameter["name"].endswith("_id"):
                parameter["schema"] = {"type": "string", "format": "uuid"}
                parameter["example"] = examples.FORMATS["uuid"]

    def operation_helper(self, path=None, operations=None, **kwargs):
        has_id = "{" in (path or "")
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            if not self.auth_required and operation.pop("security", None) is not None:
                operation.pop("x-required-role", None)
                for code in ("401", "403"):
                    responses.pop(code, None)
            codes = {503: DATABASE_UNAVAILABLE}
            if has_id:
                codes.update({400: _ref(400), 404: _ref(404)})
            if method in BODY_METHODS and "requestBody" in operation:
                codes.update({400: _ref(400), 413: _ref(413), 415: _ref(415), 422: _ref(422)})
            if any(p.get("in") == "query" for p in operation.get("parameters", []) if isinstance(p, dict)):
                codes[422] = _ref(422)
            documented = {str(code) for code in responses}
            for code, reference in codes.items():
                if str(code) not in documented:
                    responses[str(code)] = reference
