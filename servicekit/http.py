"""HTTP client for calls between services: every call has a timeout, failures are retried, and each carries
the calling service's credential (servicekit.auth.service) when the app has one."""

import json

import requests
import urllib3
from flask import current_app, has_app_context
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

_JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
# Where servicekit.auth keeps the app's service credential (anything with a headers() method).
CREDENTIAL_EXTENSION = "servicekit.auth.credential"


class CallFailed(requests.ConnectionError):
    """The service could not be reached or did not answer in time (after the retries)."""


class ServiceClient(requests.Session):
    """A session bound to one service's base URL with default timeouts and retries.

    Retries cover connection failures and 502/503/504 answers. POST is retried
    too, so only use this for endpoints that are idempotent. Every call carries
    `credential`'s headers, or else those of the current app's service credential.
    """

    def __init__(self, base_url, timeout=(1.0, 5.0), retries=2, backoff=0.2, credential=None):
        super().__init__()
        self.credential = credential
        # Service-to-service calls ignore proxy and netrc settings from the environment: looking
        # them up scans os.environ on every request, a large part of a call's cost.
        self.trust_env = False
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        retry = Retry(
            total=retries,
            connect=retries,
            read=0,  # a request that reached the server is not silently repeated on a read timeout
            status=retries,
            backoff_factor=backoff,
            status_forcelist=(502, 503, 504),
            allowed_methods=None,
            raise_on_status=False,
        )
        self.retry = retry
        self.adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=32)
        self.mount("http://", self.adapter)
        self.mount("https://", self.adapter)

    def credential_headers(self):
        credential = self.credential
        if credential is None and has_app_context():
            credential = current_app.extensions.get(CREDENTIAL_EXTENSION)
        return credential.headers() if credential is not None else {}

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        kwargs["headers"] = {**self.credential_headers(), **(kwargs.get("headers") or {})}
        if url.startswith("/"):
            url = self.base_url + url
        return super().request(method, url, *args, **kwargs)

    def post_json(self, path, payload):
        """POST JSON to a path of the service; returns (status, decoded JSON body or None).

        The lean path for hot internal calls: the session's own urllib3 pool, timeouts and
        retries, without requests' per-call machinery (hooks, cookies, auth, request
        preparation), which costs more CPU than the call itself. Raises CallFailed.
        """
        url = self.base_url + path
        pool = self.adapter.poolmanager.connection_from_url(url)
        connect, read = self.timeout
        try:
            response = pool.urlopen(
                "POST",
                url,
                body=json.dumps(payload).encode(),
                headers={**_JSON_HEADERS, **self.credential_headers()},
                retries=self.retry,
                timeout=urllib3.Timeout(connect=connect, read=read),
                assert_same_host=False,
            )
        except urllib3.exceptions.HTTPError as exc:
            raise CallFailed(f"{type(exc).__name__}: {exc}") from exc
        try:
            return response.status, json.loads(response.data) if response.data else None
        except ValueError:
            return response.status, None
