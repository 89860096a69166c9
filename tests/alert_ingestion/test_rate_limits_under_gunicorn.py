"""Rate limits under gunicorn: several worker processes of one replica share one count in PostgreSQL."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.ports import free_port

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def limited_replica(stack):
    """An ingestion replica (three gunicorn workers) allowing 5 requests an hour per integration key."""
    port = free_port()
    limits = {
        "INGEST_RATE_LIMIT_PER_KEY": "5",
        "INGEST_RATE_LIMIT_PER_ADDRESS": "0",
        "INGEST_RATE_WINDOW_SECONDS": "3600",
    }
    process = stack.start_replica("alert_ingestion", port, WEB_CONCURRENCY="3", **limits)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


def test_simultaneous_requests_over_several_workers_are_limited_exactly(limited_replica):
    key = requests.post(f"{limited_replica}/api/v1/integration-keys", json={"name": "burst"}, timeout=10).json()
    service = f"burst-{uuid.uuid4().hex[:8]}"
    barrier = threading.Barrier(16)

    def send(number):
        barrier.wait()
        body = {"service": service, "severity": "low", "message": f"burst {number}"}
        headers = {"Authorization": f"Bearer {key['key']}"}
        return requests.post(f"{limited_replica}/api/v1/alerts", json=body, headers=headers, timeout=30)

    with ThreadPoolExecutor(16) as pool:
        responses = list(pool.map(send, range(16)))
    codes = [response.status_code for response in responses]
    accepted = codes.count(201) + codes.count(202)  # 202: taken, its incident comes a moment later
    assert (accepted, codes.count(429)) == (5, 11), codes
    refused = next(response for response in responses if response.status_code == 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    stored = requests.get(f"{limited_replica}/api/v1/alerts", params={"service": service}, timeout=10).json()
    assert stored["total"] == 5
