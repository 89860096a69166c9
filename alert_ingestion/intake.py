"""What every ingestion endpoint checks before it reads the body: the integration key of the request."""

import functools

from flask import g
from flask_smorest.error_handler import ErrorSchema

from alert_ingestion.keys import verification

REFUSED = "A wrong, unknown or revoked integration key, or none when INGEST_REQUIRE_KEY is on"


def document(blp):
    """The 401 an ingestion view may answer, for its OpenAPI document (put under @intake.checked)."""
    return blp.alt_response(401, schema=ErrorSchema, description=REFUSED)


def checked(view):
    """Decorate an ingestion view (outermost): a wrong or revoked key is 401 before the body is validated."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.integration_key = verification.authenticate()
        return view(*args, **kwargs)

    return wrapper
