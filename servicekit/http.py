"""HTTP client for calls between services: every call has a timeout, failures are retried."""

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


class ServiceClient(requests.Session):
    """A session bound to one service's base URL with default timeouts and retries.

    Retries cover connection failures and 502/503/504 answers. POST is retried
    too, so only use this for endpoints that are idempotent.
    """

    def __init__(self, base_url, timeout=(1.0, 5.0), retries=2, backoff=0.2):
        super().__init__()
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
        adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=32)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        if url.startswith("/"):
            url = self.base_url + url
        return super().request(method, url, *args, **kwargs)
