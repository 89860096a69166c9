"""The check before every request: find the caller's credential, verify it, hold it to the view's policy."""

import hmac
import logging

from flask import current_app, g, request

from servicekit.auth import policy
from servicekit.auth.principal import ANONYMOUS, ANONYMOUS_ADMIN, Principal
from servicekit.auth.service import HEADER as SERVICE_HEADER
from servicekit.auth.service import ServiceCredential
from servicekit.auth.verify import RemoteVerifier
from servicekit.config import ConfigError
from servicekit.errors import error_body
from servicekit.http import CREDENTIAL_EXTENSION

AUTH_SETTINGS = {
    # false: a trusted single-user lab; every request is an anonymous admin.
    "AUTH_REQUIRED": False,
    # Signs the tokens services send each other; the same value in every service.
    "SERVICE_SECRET": "",
    "SERVICE_TOKEN_MAX_AGE": 60,
    # How long other services trust an answer of the on-call service's verify endpoint.
    "AUTH_CACHE_SECONDS": 5.0,
    "ONCALL_SERVICE_URL": "http://oncall-service:8003",
}
SESSION_COOKIE = "ip_session"
CSRF_HEADER = "X-CSRF-Token"
KEY_PREFIX = "ipk_"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_EXTENSION = "servicekit.auth"
log = logging.getLogger(__name__)


def init_app(app):
    """Read the settings, make the service credential, check every request (after the views are registered)."""
    if app.config["AUTH_REQUIRED"] and not app.config["SERVICE_SECRET"]:
        raise ConfigError("missing required setting SERVICE_SECRET: with AUTH_REQUIRED=true services sign their calls")
    credential = None
    if app.config["SERVICE_SECRET"]:
        credential = ServiceCredential(app.config["SERVICE_SECRET"], app.name, app.config["SERVICE_TOKEN_MAX_AGE"])
        app.extensions[CREDENTIAL_EXTENSION] = credential
    app.extensions[_EXTENSION] = {
        "credential": credential,
        "verifier": RemoteVerifier(app.config["ONCALL_SERVICE_URL"], credential, app.config["AUTH_CACHE_SECONDS"]),
        "keys": None,
    }
    app.before_request(_check)
    if not app.config["AUTH_REQUIRED"]:
        log.warning("AUTH_REQUIRED=false: no credential is checked, every request acts as an anonymous admin")


def set_verifier(app, verifier):
    """The service that owns sessions and tokens checks them itself: verifier(kind, credential) -> Principal."""
    app.extensions[_EXTENSION]["verifier"] = verifier


def set_key_verifier(app, verifier):
    """The service that owns integration keys: verifier(key) -> Principal (kind "key") or None."""
    app.extensions[_EXTENSION]["keys"] = verifier


def principal():
    """Who is calling this request (anonymous admin when AUTH_REQUIRED=false)."""
    return g.get("auth_principal") or (ANONYMOUS if current_app.config["AUTH_REQUIRED"] else ANONYMOUS_ADMIN)


def actor(fallback=None):
    """The name to record as the actor of a change.

    With auth on: the user's e-mail, the token's or key's name. A service relays its caller's actor in the
    request (the free-text field), else acts under its own name. With auth off: the free-text field.
    """
    caller = principal()
    if caller.kind == "user":
        return caller.email or caller.name
    if caller.kind in ("token", "key"):
        return caller.name
    if caller.kind == "service":
        return fallback or caller.name
    return fallback


def _deny(code, message):
    headers = {"WWW-Authenticate": 'Bearer realm="incident-platform"'} if code == 401 else {}
    return error_body(code, message), code, headers


def _check():
    needed = policy.current_policy()
    if needed is None:
        return None  # nothing serves this path or method: 404 / 405 follow
    if not current_app.config["AUTH_REQUIRED"]:
        g.auth_principal = ANONYMOUS_ADMIN
        return None
    if needed == policy.PUBLIC:
        return None  # open to anyone: no credential is looked at (alert ingestion checks its own keys)
    caller, problem = _identify()
    if caller is not None:
        g.auth_principal = caller
    problem = problem or _refusal(needed, caller)
    return _deny(*problem) if problem else None


def _refusal(needed, caller):
    """(status, message) when `caller` may not call a view with policy `needed`, else None."""
    if caller is None:
        return 401, "authentication required: sign in (POST /api/v1/auth/login) or send Authorization: Bearer <token>"
    if needed == policy.INTERNAL:
        return None if caller.kind == "service" else (403, "internal endpoint: only the platform's services call it")
    if not caller.may(needed):
        return 403, f"this needs the {needed} role; {caller.name} has the role {caller.role}"
    return None


def _identify():
    """(principal or None, (status, message) or None) from the request's credential."""
    state = current_app.extensions[_EXTENSION]
    service_token = request.headers.get(SERVICE_HEADER)
    if service_token:
        return _service(state, service_token)
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return _bearer(state, authorization)
    session = request.cookies.get(SESSION_COOKIE)
    if not session:
        return None, None
    caller = state["verifier"]("session", session)
    if caller is None:
        return None, (401, "session expired or signed out: sign in again")
    if request.method not in _SAFE_METHODS and not _csrf_ok(caller):
        return caller, (403, f"CSRF check failed: send the {CSRF_HEADER} header given at sign-in")
    return caller, None


def _service(state, token):
    service = state["credential"].verify(token) if state["credential"] else None
    if service is None:
        return None, (401, "invalid or expired service token")
    return Principal(kind="service", id=None, name=service, email=None, role="admin"), None


def _bearer(state, authorization):
    scheme, _, value = authorization.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        return None, (401, "Authorization must be 'Bearer <token>'")
    if value.startswith(KEY_PREFIX):
        caller = state["keys"](value) if state["keys"] else None
        return (caller, None) if caller else (None, (401, "invalid or revoked integration key"))
    caller = state["verifier"]("token", value)
    return (caller, None) if caller else (None, (401, "invalid, expired or revoked API token"))


def _csrf_ok(caller):
    sent = request.headers.get(CSRF_HEADER, "")
    return bool(sent and caller.csrf_token) and hmac.compare_digest(sent, caller.csrf_token)
