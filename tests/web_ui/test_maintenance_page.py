"""The maintenance page in a real browser: a window planned through its form suppresses its service's alerts
(no incident) until it is ended from the page."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack

# A datetime-local value `minutes` from now in the browser's own time zone, as a person would type it.
LOCAL_TIME = """minutes => {
    const at = new Date(Date.now() + minutes * 60000)
    const pad = (n) => String(n).padStart(2, '0')
    const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`
    return `${day}T${pad(at.getHours())}:${pad(at.getMinutes())}`
}"""


def test_a_window_planned_on_the_page_suppresses_alerts_until_ended_there(ui, api, unique):
    service = unique("payments-db")
    page = ui.open("/maintenance")
    form = page.get_by_test_id("maintenance-form")
    form.locator('input[name="name"]').fill("Database upgrade")
    form.locator('input[name="service"]').fill(service)
    form.locator('input[name="starts_at"]').fill(page.evaluate(LOCAL_TIME, -5))
    form.locator('input[name="ends_at"]').fill(page.evaluate(LOCAL_TIME, 60))
    form.locator('input[name="reason"]').fill("PostgreSQL 17")
    form.get_by_test_id("maintenance-save").click()

    row = page.locator("tr[data-window-id]", has_text=service)
    expect(row).to_contain_text("Database upgrade")
    expect(row.get_by_test_id("active")).to_be_visible()
    alert = {"service": service, "severity": "critical", "message": "replication lag"}
    held = api("POST", "/api/v1/alerts", json=alert)
    assert (held["result"], held["incident_id"]) == ("suppressed", None)

    row.get_by_test_id("end-window").click()
    expect(row.get_by_test_id("active")).to_have_count(0)
    assert api("POST", "/api/v1/alerts", json=alert)["result"] == "new_incident"
