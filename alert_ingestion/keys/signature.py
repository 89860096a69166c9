"""Signed intake: a key with a signing secret takes only requests that carry its HMAC-SHA256 signature.

The signature is Grafana's (and the usual webhook one): the lower-case hex HMAC-SHA256 of the raw body, or of
`<timestamp>:<body>` when the key names a timestamp header (Unix seconds, at most INGEST_SIGNATURE_MAX_AGE
seconds away from now, so a captured request cannot be replayed later). Grafana's documentation and UI say
`X-Grafana-Alerting-Signature` while its code defaults to `X-Grafana-Alert-Signature`: without a header name of
its own, a key accepts either. A `sha256=` prefix (GitHub's style) is accepted too.
"""

import hashlib
import hmac

from alert_ingestion.keys.verification import KeyRefused

DEFAULT_HEADERS = ("X-Grafana-Alerting-Signature", "X-Grafana-Alert-Signature")
HEADER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{0,99}$"


def sign(secret, body, timestamp=None):
    """The hex signature of `body` (bytes), with `timestamp` (text) in front when given."""
    message = body if timestamp is None else timestamp.encode() + b":" + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def check(key, headers, body, now, max_age):
    """Raise KeyRefused unless the request signed with the key's secret; keys without one pass."""
    secret = key.get("signing_secret")
    if not secret:
        return
    names = (key["signature_header"],) if key.get("signature_header") else DEFAULT_HEADERS
    presented = next((headers[name] for name in names if headers.get(name)), None)
    if presented is None:
        raise KeyRefused(f"integration key {key['name']!r} takes only signed requests: send {' or '.join(names)}")
    timestamp = None
    if key.get("signature_timestamp_header"):
        timestamp = _fresh_timestamp(headers.get(key["signature_timestamp_header"]), key, now, max_age)
    presented = presented.strip().removeprefix("sha256=").lower()
    if not hmac.compare_digest(presented.encode(), sign(secret, body, timestamp).encode()):
        raise KeyRefused("the request's signature does not match its body and the key's signing secret")


def _fresh_timestamp(value, key, now, max_age):
    header = key["signature_timestamp_header"]
    if not value or not value.strip().isdigit():
        raise KeyRefused(f"a signed request with this key needs {header}: the Unix time it was signed at")
    if abs(now - int(value.strip())) > max_age:
        raise KeyRefused(f"{header} is more than {max_age} seconds away from now: a replay, or a clock that is off")
    return value.strip()
