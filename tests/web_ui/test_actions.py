"""What an on-call engineer does from the pages: open an incident by hand, reassign it, see done actions as
done, and acknowledge or resolve several incidents at once (refusals shown, not swallowed)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack


def test_open_an_incident_by_hand_reassign_it_and_see_done_steps(ui, unique):
    service = unique("manual")
    page = ui.open("/")
    page.click('[data-action="new-incident"]')
    form = page.get_by_test_id("new-incident-form")
    form.locator('input[name="title"]').fill(f"{service}: customers report failed logins")
    form.locator('input[name="service"]').fill(service)
    form.locator('select[name="severity"]').select_option("critical")
    form.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/incidents/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("incident-title")).to_have_text(f"{service}: customers report failed logins")

    page.fill('input[name="operator"]', "Dana")
    acknowledge = page.locator('[data-action="acknowledged"]')
    expect(acknowledge).to_have_class("primary")
    acknowledge.click()
    expect(acknowledge).to_have_text("✓ Acknowledged")
    expect(acknowledge).to_have_attribute("data-done", "true")
    expect(acknowledge).to_have_class("done")
    expect(page.locator('[data-action="in_progress"]')).to_have_class("primary")

    page.click('[data-action="reassign"]')
    page.fill('[data-test="reassign-form"] input[name="assigned_to"]', "Erin Escalation")
    page.fill('[data-test="reassign-form"] input[name="assigned_email"]', "erin@example.com")
    page.click('[data-test="reassign-form"] button[type="submit"]')
    expect(page.get_by_test_id("reassign-form")).to_have_count(0)
    expect(page.locator('[data-event="assigned"]').last).to_contain_text("Erin Escalation")
    ui.screenshot("incident-actions")


def test_bulk_acknowledge_reports_what_changed_and_what_was_refused(ui, api, unique):
    made = [
        api("POST", "/api/v1/alerts", json={"service": unique("bulk"), "severity": "critical", "message": "down"})
        for _ in range(3)
    ]
    ids = [m["incident_id"] for m in made]
    api("PATCH", f"/api/v1/incidents/{ids[2]}", json={"status": "in_progress", "actor": "api"})

    ui.allow_console_error(r"status of 409")  # the refusal the test provokes
    page = ui.open("/")
    for incident in ids:
        page.locator(f'tr[data-incident-id="{incident}"] [data-test="select"]').check()
    expect(page.get_by_test_id("bulk-count")).to_have_text("3 selected")
    page.click('[data-action="bulk-acknowledged"]')
    result = page.get_by_test_id("bulk-result")
    expect(result).to_contain_text("2 acknowledged; 1 refused: cannot move incident from in_progress back to")
    for incident in ids[:2]:
        status = page.locator(f'tr[data-incident-id="{incident}"] [data-status]')
        expect(status).to_have_attribute("data-status", "acknowledged")
    expect(page.get_by_test_id("bulk-count")).to_have_text("1 selected")

    page.click('[data-action="bulk-resolved"]')
    expect(result).to_have_text("1 resolved")
    expect(page.locator(f'tr[data-incident-id="{ids[2]}"]')).to_have_count(0)
    assert api("GET", f"/api/v1/incidents/{ids[2]}")["status"] == "resolved"
