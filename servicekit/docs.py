"""OpenAPI settings and a Swagger UI served from local files (no CDN at run time)."""

import swagger_ui_bundle
from flask import Blueprint, send_from_directory

from servicekit.auth import public

STATIC_URL = "/docs/static/"

OPENAPI_SETTINGS = {
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/docs",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/swagger",
    "OPENAPI_SWAGGER_UI_URL": STATIC_URL,
}

bp = Blueprint("swagger_static", __name__)


@bp.get(STATIC_URL + "<path:filename>")
@public
def swagger_static(filename):
    """Swagger UI's JavaScript and CSS, shipped inside the swagger-ui-bundle package."""
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)
