"""The platform's own safety net, end to end on the native stack: a real Prometheus alert pages someone.

A rule that always fires is added to the stack's Prometheus for the test: Prometheus labels
its alert team=platform (external_labels), Alertmanager hands it to alert ingestion, the
incident follows the platform team's policy made at start-up, and its person is paged.
"""

import uuid

import pytest
import requests

from tests.waiting import wait_for

pytestmark = pytest.mark.stack

FAST = {"evaluation_interval: 15s": "evaluation_interval: 2s", "group_wait: 30s": "group_wait: 1s"}


def _faster(path):
    """Shorten the rendered copy's intervals; returns the original text (put back afterwards)."""
    original = path.read_text()
    text = original
    for slow, fast in FAST.items():
        text = text.replace(slow, fast)
    path.write_text(text)
    return original


def _reload(stack):
    stack.ctl("signal", "HUP", "prometheus")
    stack.ctl("signal", "HUP", "alertmanager")


@pytest.fixture
def firing_rule(stack):
    """An always-firing platform rule for a service of its own, removed afterwards."""
    service = f"paging-check-{uuid.uuid4().hex[:8]}"
    rule = stack.state / "prometheus" / "rules" / "zz-platform-paging-check.yml"
    rule.write_text(
        "groups:\n  - name: platform-paging-check\n    rules:\n      - alert: PlatformPagingCheck\n"
        "        expr: vector(1)\n        labels:\n          severity: critical\n"
        f"          service: {service}\n        annotations:\n          summary: paging check\n"
    )
    configs = [stack.state / "prometheus" / "prometheus.yml", stack.state / "alertmanager" / "alertmanager.yml"]
    originals = [_faster(path) for path in configs]
    _reload(stack)
    yield service
    rule.unlink()
    for path, original in zip(configs, originals, strict=True):  # other tests shorten them their own way
        path.write_text(original)
    _reload(stack)


def test_a_prometheus_alert_of_the_platform_pages_the_platform_team(stack, firing_rule):
    incidents_url = f"{stack.url('incident_management')}/api/v1/incidents"

    def opened():
        items = requests.get(incidents_url, params={"service": firing_rule}, timeout=10).json()["items"]
        return items[0] if items else None

    incident = wait_for(opened, timeout=120, what="Prometheus' alert to open an incident")
    assert (incident["team"], incident["severity"]) == ("platform", "critical")

    def paged():
        current = requests.get(f"{incidents_url}/{incident['id']}", timeout=10).json()
        return current if "notified" in [e["event_type"] for e in current["timeline"]] else None

    current = wait_for(paged, timeout=120, what="the platform team's person to be paged")
    assert (current["assigned_to"], current["unpaged"]) == ("Platform on-call", False)
    [assigned] = [e for e in current["timeline"] if e["event_type"] == "assigned"]
    assert assigned["detail"]["policy"] == "platform default"
    url = f"{stack.url('notification_service')}/api/v1/notifications"
    sent = requests.get(url, params={"incident_id": incident["id"]}, timeout=10).json()["items"]
    assert [(n["recipient"], n["status"]) for n in sent] == [("platform-oncall@localhost", "sent")]
