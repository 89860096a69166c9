"""Checking a session or user token in services other than the one that owns them.

The on-call service owns sessions and tokens; the others ask its /internal/v1/auth/verify with their
service credential, and keep each answer (also "not valid") for AUTH_CACHE_SECONDS: a revoked credential
stops working within that many seconds, and a busy caller makes one round trip per credential per period.
"""

import hashlib
import threading
import time

from servicekit.auth.principal import from_dict
from servicekit.errors import ApiError
from servicekit.http import CallFailed, ServiceClient

VERIFY_PATH = "/internal/v1/auth/verify"
MAX_CACHED = 10_000


class VerifierUnavailable(ApiError):
    code = 503


class RemoteVerifier:
    def __init__(self, base_url, credential, cache_seconds=5.0, timeout=(0.5, 3.0)):
        self.client = ServiceClient(base_url, timeout=timeout, retries=1, credential=credential)
        self.cache_seconds = cache_seconds
        self._cache = {}
        self._lock = threading.Lock()

    def __call__(self, kind, credential):
        """The Principal a session or token stands for, or None when it is not valid."""
        key = hashlib.sha256(f"{kind}:{credential}".encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(key)
        if cached and cached[0] > now:
            return cached[1]
        principal = self._ask(kind, credential)
        with self._lock:
            if len(self._cache) >= MAX_CACHED:
                self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
                if len(self._cache) >= MAX_CACHED:
                    self._cache.clear()
            self._cache[key] = (now + self.cache_seconds, principal)
        return principal

    def _ask(self, kind, credential):
        try:
            status, body = self.client.post_json(VERIFY_PATH, {kind: credential})
        except CallFailed:
            raise VerifierUnavailable(
                "the sign-in service (oncall-service) is unavailable, try again shortly"
            ) from None
        if status == 200 and isinstance(body, dict):
            return from_dict(body)
        if status == 401:
            return None
        raise VerifierUnavailable(f"the sign-in service (oncall-service) answered {status}, try again shortly")
