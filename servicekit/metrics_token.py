"""The optional bearer token of /metrics: METRICS_TOKEN empty leaves /metrics open; set, a scrape must send
`Authorization: Bearer <METRICS_TOKEN>` (Prometheus' `authorization: {credentials_file: ...}`) or gets 401.
"""

import hmac
import re

from flask import request

from servicekit.config import ConfigError
from servicekit.errors import Unauthorized

METRICS_SETTINGS = {"METRICS_TOKEN": ""}
# RFC 6750's b64token: what fits in an Authorization header, and in the gateway's nginx map unescaped.
TOKEN_FORM = re.compile(r"[A-Za-z0-9._~+/-]+=*")
MIN_LENGTH = 16


def check_setting(app):
    """Fail at start-up, naming the setting, on a token the gateway could not match or anyone could guess."""
    token = app.config["METRICS_TOKEN"]
    if token and (not TOKEN_FORM.fullmatch(token) or len(token) < MIN_LENGTH):
        raise ConfigError(
            f"setting METRICS_TOKEN must be at least {MIN_LENGTH} characters of letters, digits and - . _ ~ + / "
            "(e.g. `openssl rand -hex 32`), or empty for an open /metrics"
        )


def require(token):
    """Raise Unauthorized unless the request carries `Authorization: Bearer <token>` (when a token is set)."""
    if not token:
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # compare_digest: the time taken does not tell how much of a wrong token was right.
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Unauthorized(
            "/metrics needs Authorization: Bearer <METRICS_TOKEN>" + (" (the token given is not it)" if given else ""),
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
