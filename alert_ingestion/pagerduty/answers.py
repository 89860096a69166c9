"""PagerDuty's own answers of `/v2/enqueue`, byte for byte: 202 success, 400 invalid event, 429 empty.

Whatever else refuses a request on the way (a body that is not JSON, too large, nested too deep, a
field of the wrong type) is turned into PagerDuty's 400, so its clients see only the answers they know.
"""

import json

from flask import Response

INVALID = "invalid event"
INVALID_MESSAGE = "Event object is invalid"


def _json(status, body, headers=None):
    # PagerDuty's own member order and compact separators.
    return Response(json.dumps(body, separators=(",", ":")), status, headers, mimetype="application/json")


def accepted(dedup_key):
    return _json(202, {"status": "success", "message": "Event processed", "dedup_key": dedup_key})


def invalid(errors):
    return _json(400, {"status": INVALID, "message": INVALID_MESSAGE, "errors": list(errors)})


def throttled(retry_after):
    """PagerDuty answers 429 without a body; Retry-After says when to come back."""
    return Response(b"", 429, {"Retry-After": str(retry_after)}, mimetype="text/plain")


def error_lines(errors, path=""):
    """marshmallow-style nested messages as PagerDuty's flat list: "payload.severity: Must be one of ..."."""
    if isinstance(errors, dict):
        lines = []
        for key, inner in errors.items():
            name = "" if key in ("json", "_schema") and not path else str(key)
            lines += error_lines(inner, f"{path}.{name}" if path and name else path or name)
        return lines
    if isinstance(errors, list) and all(isinstance(item, str) for item in errors):
        return [f"{path}: {' '.join(errors)}" if path else " ".join(errors)]
    return [f"{path}: {errors}" if path else str(errors)]


def as_pagerduty(response):
    """after_request of the endpoint: a 4xx in the platform's error shape becomes PagerDuty's 400."""
    if response.status_code == 429 and response.mimetype == "application/json":
        return throttled(response.headers.get("Retry-After", "1"))
    if not 400 <= response.status_code < 500 or response.status_code == 429 or response.mimetype != "application/json":
        return response
    body = response.get_json(silent=True) or {}
    if body.get("status") == INVALID:
        return response
    errors = error_lines(body["errors"]) if body.get("errors") else [body.get("message") or "invalid request"]
    return invalid(errors)
