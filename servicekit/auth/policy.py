"""Who may call each view: `@public`, `@internal` or `@role(...)` on every view, checked before it runs.

`check_policies(app)` fails start-up when a view has none, so a new endpoint cannot be left open by
accident. Views of extensions (Swagger UI, the OpenAPI document, /metrics) are public by endpoint name.
"""

from flask import current_app, request

from servicekit.auth.principal import ROLES

ATTRIBUTE = "_auth_policy"
PUBLIC, INTERNAL = "public", "internal"
# Endpoints registered by libraries, open to everyone: the OpenAPI document and Swagger UI, /metrics.
PUBLIC_ENDPOINTS = {"api-docs.openapi_json", "api-docs.openapi_swagger_ui", "prometheus_metrics", "static"}


class MissingPolicy(RuntimeError):
    """A view has no @public, @internal or @role: it would be open to anyone."""


# How each policy is documented in the OpenAPI documents: who may call, and the refusals it can answer.
SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "A user's API token (ipt_...)"},
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "ip_session",
        "description": "The session of POST /api/v1/auth/login; unsafe methods also need X-CSRF-Token",
    },
    "serviceToken": {"type": "apiKey", "in": "header", "name": "X-Service-Token", "description": "Services only"},
}
_USERS = [{"bearerAuth": []}, {"sessionCookie": []}]


def _documentation(policy):
    if policy == PUBLIC:
        return {}
    refusals = {"401": "UNAUTHORIZED", "403": "FORBIDDEN"}
    if policy == INTERNAL:
        return {"security": [{"serviceToken": []}], "responses": refusals}
    return {"security": _USERS, "responses": refusals, "x-required-role": policy}


def _mark(policy):
    def decorate(view):
        setattr(view, ATTRIBUTE, policy)
        # flask-smorest merges `manual_doc` into the operation (as its Blueprint.doc does).
        manual = view.__dict__.setdefault("_apidoc", {}).setdefault("manual_doc", {})
        for key, value in _documentation(policy).items():
            manual[key] = {**manual.get(key, {}), **value} if isinstance(value, dict) else value
        return view

    return decorate


def public(view):
    """Anyone may call it (with auth on too): health, documents, sign-in, alert ingestion."""
    return _mark(PUBLIC)(view)


def internal(view):
    """Only other services, with their service credential."""
    return _mark(INTERNAL)(view)


def role(minimum):
    """A signed-in user, token, key or service with at least this role."""
    if minimum not in ROLES:
        raise ValueError(f"unknown role {minimum!r}: one of {ROLES}")
    return _mark(minimum)


def policy_of(app, endpoint, method):
    """The policy of the view that serves `endpoint` for `method`, or None when it has none."""
    if endpoint in PUBLIC_ENDPOINTS:
        return PUBLIC
    view = app.view_functions.get(endpoint)
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        return getattr(handler, ATTRIBUTE, None) or getattr(view_class, ATTRIBUTE, None)
    return getattr(view, ATTRIBUTE, None)


def check_policies(app):
    """Every rule's every method has a policy; raises MissingPolicy naming the ones that do not."""
    missing = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"OPTIONS", "HEAD"}):
            if policy_of(app, rule.endpoint, method) is None:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    if missing:
        raise MissingPolicy("views without @auth.public/@auth.internal/@auth.role: " + "; ".join(missing))


def current_policy():
    """The policy of the request's view (None for a path or method nothing serves: 404/405 follow)."""
    if request.url_rule is None:
        return None
    return policy_of(current_app, request.url_rule.endpoint, request.method)
