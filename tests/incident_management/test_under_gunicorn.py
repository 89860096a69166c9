"""Incident management under gunicorn: metrics that hold across workers and restarts."""

import re
import uuid

import pytest
import requests

pytestmark = pytest.mark.stack


def scrape(stack):
    return requests.get(f"{stack.url('incident_management')}/metrics", timeout=5).text


def gauge(text, name, labels):
    match = re.search(rf"^{name}\{{{labels}\}} ([0-9.e+]+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else None


def test_incidents_total_comes_from_the_database_across_workers_and_restarts(stack):
    api = f"{stack.url('incident_management')}/api/v1/incidents"
    before = {status: gauge(scrape(stack), "incidents_total", f'status="{status}"') for status in ("open", "resolved")}
    service = f"metrics-{uuid.uuid4().hex[:8]}"
    made = [
        requests.post(api, json={"title": "t", "service": service, "severity": "low"}, timeout=5).json()
        for _ in range(3)
    ]
    requests.patch(f"{api}/{made[0]['id']}", json={"status": "resolved"}, timeout=5)

    # Several scrapes land on different workers: each answers the same, database-backed value.
    for _ in range(8):
        text = scrape(stack)
        assert gauge(text, "incidents_total", 'status="open"') == before["open"] + 2
        assert gauge(text, "incidents_total", 'status="resolved"') == before["resolved"] + 1

    stack.stop("incident_management")
    stack.start("incident_management")
    text = scrape(stack)
    assert gauge(text, "incidents_total", 'status="open"') == before["open"] + 2
    assert gauge(text, "incidents_total", 'status="resolved"') == before["resolved"] + 1


def test_mtta_and_mttr_histograms_aggregate_every_worker(stack):
    api = f"{stack.url('incident_management')}/api/v1/incidents"
    count = 'incident_mtta_seconds_count{severity="critical"}'
    before = gauge(scrape(stack), "incident_mtta_seconds_count", 'severity="critical"') or 0.0
    for _ in range(4):
        incident = requests.post(api, json={"title": "t", "service": "h", "severity": "critical"}, timeout=5).json()
        requests.patch(f"{api}/{incident['id']}", json={"status": "resolved"}, timeout=5)
    for _ in range(4):
        text = scrape(stack)
        assert gauge(text, "incident_mtta_seconds_count", 'severity="critical"') == before + 4, count
        assert gauge(text, "incident_mttr_seconds_count", 'severity="critical"') >= 4
