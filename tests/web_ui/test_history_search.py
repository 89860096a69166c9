"""Every incident can be found: full-text search over alert messages and notes, filters, sorting and pages, with
the query kept in the address so that a link shows the same results."""

import uuid
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack


def word():
    return "w" + uuid.uuid4().hex[:10]


def test_search_finds_a_resolved_incident_by_its_alert_and_its_note(ui, api, unique):
    service = unique("ledger")
    in_alert, in_note = word(), word()
    alert = {"service": service, "severity": "high", "message": f"{in_alert} stuck"}
    answer = api("POST", "/api/v1/alerts", json=alert)
    incident = answer["incident_id"]
    api("POST", f"/api/v1/incidents/{incident}/notes", json={"author": "ann", "content": f"cause: {in_note} cron"})
    api("PATCH", f"/api/v1/incidents/{incident}", json={"status": "resolved", "actor": "ann"})
    other = api("POST", "/api/v1/alerts", json={"service": unique("ledger"), "severity": "low", "message": in_note})

    page = ui.open("/history")
    page.get_by_test_id("search-input").fill(in_alert)
    page.get_by_test_id("search-input").press("Enter")
    expect(page).to_have_url(f"{ui.base_url}/history?q={in_alert}")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-incident-id", incident)
    expect(rows.first.locator("[data-status]")).to_have_attribute("data-status", "resolved")
    expect(page.get_by_test_id("history-total")).to_contain_text("1 incident")

    # The note's word finds both: the resolved incident by its note, the other by its alert; status narrows it.
    page.goto(f"{ui.base_url}/history?q={quote(in_note)}")
    expect(page.locator("tbody tr")).to_have_count(2)
    page.get_by_test_id("status-filter").select_option("resolved")
    expect(page).to_have_url(f"{ui.base_url}/history?q={in_note}&status=resolved")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_have_attribute("data-incident-id", incident)
    ui.screenshot("history")

    # A shared link shows the same results; sorting keeps the query.
    page.goto(f"{ui.base_url}/history?q={in_note}&severity=low")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_have_attribute("data-incident-id", other["incident_id"])
    page.get_by_test_id("sort").select_option("oldest")
    expect(page).to_have_url(f"{ui.base_url}/history?q={in_note}&severity=low&sort=oldest")

    page.goto(f"{ui.base_url}/history?q={word()}")
    expect(page.get_by_test_id("no-results")).to_be_visible()


def test_history_pages_through_every_match_with_the_real_total(ui, api, unique):
    marker = word()
    services = [unique("batch") for _ in range(30)]
    for service in services:
        api("POST", "/api/v1/alerts", json={"service": service, "severity": "medium", "message": f"{marker} late"})

    page = ui.open(f"/history?q={marker}")
    expect(page.get_by_test_id("history-total")).to_contain_text("30 incidents")
    expect(page.locator("tbody tr")).to_have_count(25)
    expect(page.get_by_test_id("page-info")).to_have_text("Page 1 of 2 · 30 incidents")
    page.get_by_test_id("page-next").click()
    expect(page).to_have_url(f"{ui.base_url}/history?q={marker}&page=2")
    expect(page.locator("tbody tr")).to_have_count(5)
