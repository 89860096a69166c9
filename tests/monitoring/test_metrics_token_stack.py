"""A native stack with METRICS_TOKEN set: the gateway's /metrics asks for it like the services', and the stack's
Prometheus (monitoring/prometheus.yml, credentials_file) still scrapes them: its targets are up."""

import time
from datetime import datetime

import pytest
import requests

from nativestack import Stack
from nativestack import components as registry
from tests.conftest import STACK_DIR, STACK_PORT_OFFSET

TOKEN = "stack-metrics-token-0123456789"  # pragma: allowlist secret (made up for the test)
# One service, the gateway with its exporter, and Prometheus: enough for both kinds of /metrics.
PARTS = ["alert_ingestion", "nginx", "nginx_exporter", "prometheus"]
SCRAPED = {"alert-ingestion", "web-ui"}


@pytest.fixture(scope="module")
def token_stack(make_database):
    stack = Stack(
        STACK_DIR.with_name(f"{STACK_DIR.name}-metrics-token"),
        port_offset=STACK_PORT_OFFSET + 400,  # beside the tests' own stack and the auth stack (+300)
        database_url=make_database("metrics_token"),
        components=[registry.by_name()[name] for name in PARTS],
        settings={"METRICS_TOKEN": TOKEN},
    )
    stack.up(timeout=90)
    yield stack
    stack.down()


def targets(stack):
    answer = requests.get(f"{stack.url('prometheus')}/api/v1/targets", timeout=5).json()
    return {t["labels"]["job"]: t for t in answer["data"]["activeTargets"] if t["labels"]["job"] in SCRAPED}


def wait_for_scrapes(stack, healthy, timeout=60):
    """The targets once each has been scraped again from now (scrape_interval is 15 s), up or not as expected."""
    since = time.time()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = targets(stack)
        fresh = {job: t for job, t in found.items() if _scraped_at(t) > since}
        if set(fresh) == SCRAPED and all((t["health"] == "up") == healthy for t in fresh.values()):
            return fresh
        time.sleep(1)
    pytest.fail(f"targets after {timeout}s: {[(j, t['health'], t['lastError']) for j, t in targets(stack).items()]}")


def _scraped_at(target):
    return datetime.fromisoformat(target["lastScrape"].replace("Z", "+00:00")).timestamp()


@pytest.mark.parametrize("name", ["alert_ingestion", "nginx"])
def test_metrics_is_401_without_the_token_and_200_with_it(token_stack, name):
    url = f"{token_stack.url(name)}/metrics"
    refused = requests.get(url, timeout=5)
    assert refused.status_code == 401
    assert refused.json()["message"] == "/metrics needs Authorization: Bearer <METRICS_TOKEN>"
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert requests.get(url, headers={"Authorization": f"Bearer {TOKEN}x"}, timeout=5).status_code == 401
    answered = requests.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert answered.status_code == 200
    assert "# TYPE" in answered.text


def test_prometheus_sends_the_token_and_its_targets_are_up(token_stack):
    for target in wait_for_scrapes(token_stack, healthy=True).values():
        assert target["lastError"] == ""
    # It is the token file that lets it in: with another token the same targets are refused.
    (token_stack.state / "prometheus" / "metrics-token").write_text("another-token-0123456789")
    try:
        for target in wait_for_scrapes(token_stack, healthy=False).values():
            assert "401" in target["lastError"]
    finally:
        (token_stack.state / "prometheus" / "metrics-token").write_text(TOKEN)
