"""Grouping on the native stack: alerts through POST /api/v1/alerts with a grouping rule (groups, threshold),
and fixing grouping by hand in chromium: an alert moved to another incident, then a merge, both timelines
saying so and alert ingestion's reference following."""

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack


def eventually(check, timeout=15.0):
    """The value of `check()` once it is truthy (the reference relay runs every 2 s)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def put_rule(api, service, **rule):
    """Set a rule; every worker reads the rules again within GROUPING_RULES_CACHE_SECONDS (2 s)."""
    api("PUT", f"/api/v1/grouping-rules/{service}", json={"group_by": ["labels.alertname"], **rule})
    time.sleep(2.1)


def alert(api, service, alertname, message):
    body = {"service": service, "severity": "high", "message": message, "labels": {"alertname": alertname}}
    return api("POST", "/api/v1/alerts", json=body)


def test_a_rule_keeps_groups_apart_and_a_threshold_holds_alerts(api, unique):
    service = unique("grouped")
    put_rule(api, service, threshold=2)
    held = alert(api, service, "DiskFull", "disk full on db-1")
    assert (held["result"], held["incident_id"]) == ("held", None)
    opened = alert(api, service, "DiskFull", "disk full on db-2")
    other = [alert(api, service, "HighLatency", "p99 above 2s") for _ in range(2)]
    assert opened["result"] == "new_incident"
    assert [a["result"] for a in other] == ["held", "new_incident"]
    assert other[1]["incident_id"] != opened["incident_id"]
    incident = api("GET", f"/api/v1/incidents/{opened['incident_id']}")
    assert (incident["alert_count"], incident["group_key"]) == (2, '["DiskFull"]')
    # Alert ingestion hears of the held alert's incident from incident management's outbox.
    released = eventually(lambda: api("GET", f"/api/v1/alerts/{held['alert_id']}")["incident_id"])
    assert released == opened["incident_id"]


def test_move_an_alert_then_merge_from_the_incident_page(ui, api, unique):
    service = unique("regroup")
    put_rule(api, service)
    disk = [alert(api, service, "DiskFull", f"disk full on db-{n}") for n in (1, 2)]
    latency = alert(api, service, "HighLatency", "p99 above 2s")
    source, target = disk[0]["incident_id"], latency["incident_id"]
    assert disk[1]["incident_id"] == source != target

    page = ui.open(f"/incidents/{source}")
    row = page.get_by_test_id("alert").filter(has_text="disk full on db-2")
    row.get_by_test_id("move-alert").click()
    picker = page.get_by_test_id("incident-picker")
    picker.locator('input[name="incident_search"]').fill(service)
    picker.locator('button[type="submit"]').click()
    expect(picker.locator(f'[data-test="pick-incident"][data-id="{source}"]')).to_have_count(0)
    picker.locator(f'[data-test="pick-incident"][data-id="{target}"]').click()
    expect(page.get_by_test_id("incident-picker")).to_have_count(0)
    expect(page.get_by_test_id("alert")).to_have_count(1)
    expect(page.locator('[data-event="alert_moved_out"]')).to_contain_text("disk full on db-2")
    ui.screenshot("alert-moved")

    page.locator('[data-event="alert_moved_out"] [data-test="event-link"]').click()
    expect(page).to_have_url(re.compile(f"/incidents/{target}$"))
    expect(page.get_by_test_id("alert")).to_have_count(2)
    expect(page.locator('[data-event="alert_moved_in"]')).to_contain_text("disk full on db-2")

    page.click('[data-action="merge"]')
    picker = page.get_by_test_id("incident-picker")
    picker.locator('input[name="incident_search"]').fill(service)
    picker.locator('button[type="submit"]').click()
    picker.locator(f'[data-test="pick-incident"][data-id="{source}"]').click()
    expect(page).to_have_url(re.compile(f"/incidents/{source}$"))
    expect(page.get_by_test_id("alert")).to_have_count(3)
    expect(page.locator('[data-event="merged_from"]')).to_contain_text("2 alerts")
    ui.screenshot("incident-merged")

    merged = api("GET", f"/api/v1/incidents/{target}")
    assert (merged["status"], merged["alert_count"]) == ("resolved", 0)
    assert [e["detail"]["incident_id"] for e in merged["timeline"] if e["event_type"] == "merged_into"] == [source]
    moved = eventually(lambda: api("GET", f"/api/v1/alerts/{latency['alert_id']}")["incident_id"] == source)
    assert moved, "alert ingestion still names the merged incident"
    assert eventually(lambda: api("GET", f"/api/v1/alerts?incident_id={source}")["total"] == 3)


def test_grouping_rules_are_managed_on_the_admin_page(ui, api, unique):
    service = unique("rules")
    page = ui.open("/admin/grouping")
    form = page.get_by_test_id("grouping-form")
    form.locator('input[name="service"]').fill(service)
    form.locator('input[name="group_by"]').fill("labels.alertname, labels.instance")
    form.locator('input[name="threshold"]').fill("3")
    form.locator('button[type="submit"]').click()
    rule = page.locator(f'[data-test="grouping-rule"][data-service="{service}"]')
    expect(rule).to_contain_text("labels.alertname, labels.instance")
    expect(rule).to_contain_text("opens after 3 alerts")
    assert api("GET", f"/api/v1/grouping-rules/{service}")["threshold"] == 3

    ui.allow_console_error(r"status of 422")  # the refusal the test provokes
    form.locator('input[name="service"]').fill(service)
    form.locator('input[name="group_by"]').fill("severity")
    form.locator('button[type="submit"]').click()
    expect(form.locator('[role="alert"]')).to_be_visible()
    rule.get_by_test_id("remove-rule").click()
    expect(rule).to_have_count(0)
