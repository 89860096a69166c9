"""Domain exceptions and the one place that turns errors into JSON responses.

Every error body has flask-smorest's shape: {code, status, message, errors?}.
"""

import logging

import psycopg2
from flask import current_app, request
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.http import HTTP_STATUS_CODES

log = logging.getLogger(__name__)


class ApiError(Exception):
    """Base class: raise a subclass from a view or a repository to answer with its status."""

    code = 400

    def __init__(self, message, errors=None, headers=None):
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.headers = headers or {}


class BadRequest(ApiError):
    code = 400


class Invalid(ApiError):
    code = 422


class Unauthorized(ApiError):
    """No credential, or one that is not valid (wrong password, expired session, revoked token)."""

    code = 401


class Forbidden(ApiError):
    """A valid credential that may not do this."""

    code = 403


class TooManyRequests(ApiError):
    """Slow down: give Retry-After in `headers`."""

    code = 429


class NotFound(ApiError):
    code = 404


class Conflict(ApiError):
    code = 409


def error_body(code, message=None, errors=None):
    body = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Unknown")}
    if message:
        body["message"] = message
    if errors:
        body["errors"] = errors
    return body


def database_unavailable(message="database unavailable, try again shortly"):
    """503 with Retry-After: the same answer from every service while its database is down."""
    retry_after = str(current_app.config.get("DB_RETRY_AFTER_SECONDS", 2))
    return error_body(ServiceUnavailable.code, message), 503, {"Retry-After": retry_after}


def init_app(app, api):
    """Register handlers so that nothing leaves a service as HTML or a bare 500."""

    @app.errorhandler(ApiError)
    def handle_api_error(error):
        return error_body(error.code, error.message, error.errors), error.code, error.headers

    @app.errorhandler(psycopg2.OperationalError)
    def handle_database_down(error):
        log.error("database unavailable during %s %s: %s", request.method, request.path, error)
        return database_unavailable()

    def handle_http_exception(error):
        if error.code >= 500:
            original = getattr(error, "original_exception", None)
            log.error("%s %s failed", request.method, request.path, exc_info=original or error)
        payload, code, headers = api.handle_http_exception(error)
        # Werkzeug's own headers (e.g. Allow on a 405) stay; the body is JSON, not its HTML.
        headers = {**{k: v for k, v in error.get_headers() if k.lower() != "content-type"}, **(headers or {})}
        if "message" not in payload:
            payload["message"] = summarise(payload["errors"]) if payload.get("errors") else _describe(error)
        return payload, code, headers

    app.register_error_handler(HTTPException, handle_http_exception)


def summarise(errors):
    """One readable line naming every bad field: 'json.severity: Must be one of: ...; json.service: ...'."""
    parts = []

    def walk(path, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{path}.{key}" if path else str(key), inner)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            parts.append(f"{path}: {' '.join(value)}")
        else:
            parts.append(f"{path}: {value}")

    walk("", errors)
    return "invalid request: " + "; ".join(parts)


def _describe(error):
    if isinstance(error, InternalServerError):
        return "internal server error; details are in the service log"
    return error.description
