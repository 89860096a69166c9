"""Notification rules in a real browser (on /profile/notification-rules until the profile page exists): a
user's contact method gets a rule "after 2 minutes", listed as such and kept by the on-call service."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack


def test_a_rule_added_on_the_page_is_kept(ui, api, unique):
    email = f"{unique('rita')}@example.com"
    user = api("POST", "/api/v1/users", json={"name": "Rita Rules", "email": email})
    method = api(
        "POST", f"/api/v1/users/{user['id']}/contact-methods", json={"type": "log", "address": "rita", "label": "Pager"}
    )

    page = ui.open("/profile/notification-rules")
    page.get_by_test_id("rules-user").select_option(user["id"])  # no sign-in on the test stack: whose rules
    rules = page.get_by_test_id("notification-rules")
    expect(rules.get_by_test_id("rules-default")).to_contain_text("every verified contact method at once (Pager)")
    rules.locator('select[name="rule-method"]').select_option(method["id"])
    rules.locator('input[name="rule-minutes"]').fill("2")
    rules.locator('button[type="submit"]').click()

    expect(rules.get_by_test_id("rule")).to_contain_text("Pager")
    expect(rules.get_by_test_id("rule")).to_contain_text("after 2m")
    expect(rules.get_by_test_id("rules-default")).to_have_count(0)
    stored = api("GET", f"/api/v1/users/{user['id']}/notification-rules")
    assert [(r["contact_method_id"], r["delay_seconds"]) for r in stored["items"]] == [(method["id"], 120)]
    ui.screenshot("notification-rules")

    # Her own shifts as a calendar: the address works without signing in.
    page.get_by_test_id("user-calendar-feed").click()
    address = page.get_by_test_id("user-feed-url").locator("code").inner_text()
    assert "/api/v1/oncall/calendars/ical_" in address
    calendar = page.request.get(address)
    assert calendar.status == 200 and calendar.text().startswith("BEGIN:VCALENDAR\r\n")
