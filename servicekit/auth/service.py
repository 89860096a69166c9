"""The credential services send each other: a short-lived token signed with SERVICE_SECRET (itsdangerous).

A token names the calling service and is valid for SERVICE_TOKEN_MAX_AGE seconds; each process signs a
new one when half of that has passed, so signing costs nothing per call.
"""

import threading
import time

import itsdangerous

HEADER = "X-Service-Token"
_SALT = "servicekit.auth.service"


class ServiceCredential:
    def __init__(self, secret, service, max_age=60):
        self.serializer = itsdangerous.URLSafeTimedSerializer(secret, salt=_SALT)
        self.service = service
        self.max_age = max_age
        self._lock = threading.Lock()
        self._token, self._signed_at = None, 0.0

    def token(self):
        """This service's current token (re-signed after half its lifetime)."""
        now = time.monotonic()
        with self._lock:
            if self._token is None or now - self._signed_at > self.max_age / 2:
                self._token, self._signed_at = self.serializer.dumps({"service": self.service}), now
            return self._token

    def headers(self):
        return {HEADER: self.token()}

    def verify(self, token):
        """The name of the service that signed `token`, or None when it is forged, malformed or expired."""
        try:
            data = self.serializer.loads(token, max_age=self.max_age)
        except itsdangerous.BadData:
            return None
        service = data.get("service") if isinstance(data, dict) else None
        return service if isinstance(service, str) and service else None
