"""The on-call engineer's path in a real browser: alerts arrive, the dashboard shows the incident, it is
acknowledged, annotated and resolved from its page, and the dashboard's counts follow."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack


def count(page, status):
    return int(page.locator(f'[data-test="count-{status}"] [data-test="value"]').inner_text())


def test_alerts_to_resolution_through_the_dashboard(ui, api, unique):
    service = unique("checkout")
    for n in range(2):
        alert = {"service": service, "severity": "critical", "message": f"p99 above 2s ({n})"}
        api("POST", "/api/v1/alerts", json=alert)
    api("POST", "/api/v1/alerts", json={"service": service, "severity": "low", "message": "disk 80% full"})

    page = ui.open("/")
    expect(page.locator('[data-test="count-open"] [data-test="value"]')).not_to_have_text("—")
    rows = page.locator("tbody tr", has_text=service)
    # Most severe first; the two critical alerts made one incident. (The low one may be on a later page: the
    # first screen holds the 50 most urgent of every test's incidents on this stack.)
    expect(rows.first.locator("[data-severity]")).to_have_text("critical")
    expect(rows.first).to_contain_text("× 2 alerts")
    ui.screenshot("dashboard")
    page.select_option('[data-test="service-filter"]', service)
    expect(page).to_have_url(f"{ui.base_url}/?service={service}")
    expect(page.locator("tbody tr")).to_have_count(2)
    page.select_option('[data-test="severity-filter"]', "critical")
    expect(page.locator("tbody tr")).to_have_count(1)
    resolved_before = count(page, "resolved")

    incident = page.locator("tbody tr").first.get_attribute("data-incident-id")
    page.locator("tbody tr").first.click()
    expect(page).to_have_url(f"{ui.base_url}/incidents/{incident}")
    expect(page.get_by_test_id("incident-title")).to_contain_text(service)
    expect(page.locator('[data-test="alert"]')).to_have_count(2)
    acknowledge = page.locator('[data-action="acknowledged"]')
    start = page.locator('[data-action="in_progress"]')
    resolve = page.locator('[data-action="resolved"]')
    expect(acknowledge).to_be_enabled()

    page.fill('input[name="operator"]', "Alice Oncall")
    acknowledge.click()
    expect(page.locator('[data-event="acknowledged"]')).to_contain_text("Acknowledged after")
    expect(page.locator('[data-event="acknowledged"]')).to_contain_text("Alice Oncall")
    expect(acknowledge).to_be_disabled()
    expect(start).to_be_enabled()
    expect(page.locator("header [data-status]")).to_have_attribute("data-status", "acknowledged")

    page.fill('textarea[name="content"]', "Rolled back deploy 4711; latency is recovering.")
    page.click('[data-test="note-form"] button[type="submit"]')
    note = page.locator('[data-test="note"]')
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Rolled back deploy 4711")
    expect(note).to_contain_text("Alice Oncall")
    expect(page.locator('textarea[name="content"]')).to_have_value("")

    resolve.click()
    expect(page.locator("header [data-status]")).to_have_attribute("data-status", "resolved")
    expect(page.locator('[data-event="resolved"]')).to_contain_text("Resolved after")
    for action in ("acknowledged", "in_progress", "resolved", "escalate"):
        expect(page.locator(f'[data-action="{action}"]')).to_be_disabled()
    expect(page.get_by_test_id("mttr")).not_to_have_text("—")
    ui.screenshot("incident")

    page.click("nav >> text=Incidents")
    expect(page.locator("tbody tr").first).to_be_visible()
    # The shared stack holds other tests' open incidents, more urgent ones first: filter to this service.
    ui.open(f"/?service={service}")
    expect(page.locator("tbody tr", has_text=service)).to_have_count(1)
    expect(page.locator("tbody tr", has_text=service).locator("[data-severity]")).to_have_text("low")
    expect(page.locator('[data-test="count-resolved"] [data-test="value"]')).not_to_have_text(str(resolved_before))
    assert count(page, "resolved") >= resolved_before + 1


def test_a_refused_action_is_shown_not_swallowed(ui, api, unique):
    """The page offers only allowed transitions; when the incident moved on elsewhere, the refusal shows."""
    answer = api("POST", "/api/v1/alerts", json={"service": unique("search"), "severity": "high", "message": "lag"})
    incident = answer["incident_id"]
    # Without live updates (a stream that cannot connect), as when the change arrives between two refreshes.
    ui.page.route("**/api/v1/incidents/events", lambda route: route.abort())
    ui.allow_console_error("EventSource|ERR_FAILED|net::")
    page = ui.open(f"/incidents/{incident}")
    expect(page.locator('[data-action="acknowledged"]')).to_be_enabled()

    # Someone else resolves it meanwhile; this page still shows it open until its next refresh.
    api("PATCH", f"/api/v1/incidents/{incident}", json={"status": "resolved", "actor": "someone-else"})
    ui.allow_console_error("status of 409")
    page.click('[data-action="acknowledged"]')
    refusal = "cannot move incident from resolved back to acknowledged"
    expect(page.get_by_test_id("action-error")).to_contain_text(refusal)
    expect(page.locator("header [data-status]")).to_have_attribute("data-status", "resolved")


def test_unknown_pages_and_incidents_show_not_found(ui):
    page = ui.open("/no/such/page")
    expect(page.get_by_test_id("not-found")).to_contain_text("Page not found")
    ui.screenshot("not-found")

    ui.allow_console_error("status of 404")
    page = ui.open("/incidents/00000000-0000-4000-8000-000000000000")
    expect(page.get_by_test_id("not-found")).to_contain_text("Incident not found")
    page.click("text=Back to the dashboard")
    expect(page.get_by_role("heading", name="Incidents", exact=True)).to_be_visible()
