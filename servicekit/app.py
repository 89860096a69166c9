"""The part of every service's app factory that is the same everywhere."""

from flask import Flask, request
from flask_smorest import Api

from servicekit import (
    auth,
    client_address,
    config,
    db,
    docs,
    errors,
    fields,
    health,
    limits,
    metrics,
    metrics_token,
    openapi,
    params,
)
from servicekit.auth.request import AUTH_SETTINGS
from servicekit.logging import configure as configure_logging

BASE_SETTINGS = {
    "DATABASE_URL": None,
    "DB_POOL_MAX": 12,  # per worker process, grown on demand: its threads plus background jobs
    "MAX_CONTENT_LENGTH": 256 * 1024,  # larger bodies get 413, before any parsing
    "BACKGROUND_JOBS": True,
    # A PostgreSQL restart refuses connections for about a second: requests wait that out, then 503.
    "DB_CONNECT_PATIENCE_SECONDS": 3.0,
    "DB_RETRY_AFTER_SECONDS": 2,
    **limits.LIMIT_SETTINGS,
    **fields.TIMESTAMP_SETTINGS,
    **AUTH_SETTINGS,
    **metrics_token.METRICS_SETTINGS,
    **client_address.CLIENT_ADDRESS_SETTINGS,
}


def create_service_app(import_name, title, settings, test_config=None):
    """Build the Flask app and its flask-smorest Api; the service then adds its blueprints."""
    configure_logging(import_name)
    app = Flask(import_name, static_folder=None)
    app.json.sort_keys = False
    app.config.update(docs.OPENAPI_SETTINGS, API_TITLE=title)
    config.load_settings(app, {**BASE_SETTINGS, **settings})
    if test_config:
        app.config.update(test_config)
    config.check_required(app, ["DATABASE_URL"])
    metrics_token.check_setting(app)

    app.url_map.converters["id"] = params.IdConverter
    api = Api(app, spec_kwargs={"extra_plugins": [openapi.ServiceKitPlugin(app.config["AUTH_REQUIRED"])]})
    errors.init_app(app, api)
    client_address.init_app(app)
    db.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(docs.bp)
    app.before_request(_require_json_body)
    limits.init_app(app)
    auth.init_app(app)
    return app, api


def _require_json_body():
    """A body that is not declared as JSON gets a 415 naming the problem, not a list of missing fields."""
    if request.method in ("POST", "PUT", "PATCH") and request.content_length and not request.is_json:
        message = f"Content-Type must be application/json, got {request.mimetype or 'none'}"
        return errors.error_body(415, message), 415
