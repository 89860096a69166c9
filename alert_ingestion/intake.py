"""What every ingestion endpoint checks before it reads the body: the integration key, then the rate limits."""

import functools
import time

from flask import current_app, g, request
from flask_smorest.error_handler import ErrorSchema

from alert_ingestion.keys import signature, verification
from alert_ingestion.ratelimit import limiter

REFUSED = (
    "A wrong, unknown or revoked integration key, or none when INGEST_REQUIRE_KEY is on; an unsigned or wrongly "
    "signed request with a key that has a signing secret"
)
LIMITED = "Too many requests from this integration key or client address; retry after Retry-After seconds"
RETRY_AFTER = {"Retry-After": {"description": "Seconds until the window ends", "schema": {"type": "integer"}}}


def document(blp):
    """The 401 and 429 an ingestion view may answer, for its OpenAPI document (put under @intake.checked)."""
    refused = blp.alt_response(401, schema=ErrorSchema, description=REFUSED)
    limited = blp.alt_response(429, schema=ErrorSchema, description=LIMITED, headers=RETRY_AFTER)
    return lambda view: refused(limited(view))


def checked(view):
    """Decorate an ingestion view (outermost): a wrong or revoked key is 401, too many requests 429, both before
    the body is validated."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.integration_key = accepted_key()
        return view(*args, **kwargs)

    return wrapper


def accepted_key():
    """The request's verified integration key (or None), counted against the rate limits; a key with a signing
    secret also needs the request's signature."""
    try:
        key = verification.authenticate()
        if key is not None:
            max_age = current_app.config["INGEST_SIGNATURE_MAX_AGE"]
            signature.check(key, request.headers, request.get_data(cache=True), time.time(), max_age)
    except verification.KeyRefused:
        limiter.check(None)  # a wrong key still counts for its address: guessing is limited too
        raise
    limiter.check(key)
    return key
