"""The on-call page in a real browser: a schedule created through its form shows who is on call and the
next shifts; an incident of that team pages its primary, and Escalate on the incident page hands it on."""

import datetime as dt
import time
import zoneinfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack


def wait_for_assignee(api, incident_id, name, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        incident = api("GET", f"/api/v1/incidents/{incident_id}")
        if incident["assigned_to"] == name:
            return incident
        assert time.monotonic() < deadline, f"incident never assigned to {name}: {incident['timeline']}"
        time.sleep(0.5)


def create_schedule_through_the_form(page, team):
    new = page.get_by_test_id("new-schedule")
    form = page.get_by_test_id("schedule-form")
    # The form opens by itself when there is no schedule at all; otherwise behind its button.
    expect(new.or_(form).first).to_be_visible()
    if new.is_visible():
        new.click()
    form.locator('input[name="team"]').fill(team)
    form.locator('select[name="rotation_type"]').select_option("weekly")
    form.locator('input[name="escalation_minutes"]').fill("30")
    form.locator('input[name="member-0-name"]').fill("Alice Primary")
    form.locator('input[name="member-0-email"]').fill("alice@example.com")
    form.locator('input[name="member-1-name"]').fill("Bob Secondary")
    form.locator('input[name="member-1-email"]').fill("bob@example.com")
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("created")).to_contain_text(team)
    expect(form).to_have_count(0)


def test_schedule_created_through_the_form_shows_who_is_on_call(ui, api, unique):
    team = unique("payments")
    page = ui.open("/oncall")
    create_schedule_through_the_form(page, team)

    card = page.locator(f'[data-team="{team}"]')
    expect(card.get_by_test_id("primary")).to_contain_text("Alice Primary")
    expect(card.get_by_test_id("primary")).to_contain_text("alice@example.com")
    expect(card.get_by_test_id("secondary")).to_contain_text("Bob Secondary")
    expect(card.get_by_test_id("shift").first).to_contain_text("Alice Primary")
    assert card.get_by_test_id("shift").count() >= 2
    # The team's escalation chain: who is paged now, and who next if nobody answers.
    expect(card.get_by_test_id("chain")).to_contain_text(f"{team} default")
    expect(card.get_by_test_id("chain-now")).to_contain_text("the primary on call")
    expect(card.get_by_test_id("chain-now")).to_contain_text("Alice Primary")
    expect(card.get_by_test_id("chain-next")).to_contain_text("after 30m")
    expect(card.get_by_test_id("chain-next")).to_contain_text("Bob Secondary")
    ui.screenshot("oncall")

    stored = api("GET", "/api/v1/schedules", params={"team": team})["items"]
    assert [s["team"] for s in stored] == [team]
    assert stored[0]["escalation_timeout_seconds"] == 1800
    assert {(m["name"], m["role"]) for m in stored[0]["members"]} == {
        ("Alice Primary", "primary"),
        ("Bob Secondary", "secondary"),
    }

    # The form refuses a second schedule for the team, and says why.
    ui.allow_console_error("status of 409")
    page.get_by_test_id("new-schedule").click()
    form = page.get_by_test_id("schedule-form")
    form.locator('input[name="team"]').fill(team)
    form.locator('input[name="member-0-name"]').fill("Carol")
    form.locator('input[name="member-0-email"]').fill("carol@example.com")
    form.locator('input[name="member-1-name"]').fill("Dan")
    form.locator('input[name="member-1-email"]').fill("dan@example.com")
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("form-error")).to_contain_text("409")


def test_escalate_hands_the_incident_to_the_secondary(ui, api, unique):
    team = unique("search")
    page = ui.open("/oncall")
    create_schedule_through_the_form(page, team)
    answer = api(
        "POST",
        "/api/v1/alerts",
        json={"service": unique("search-api"), "severity": "high", "message": "index lag", "labels": {"team": team}},
    )
    wait_for_assignee(api, answer["incident_id"], "Alice Primary")

    page = ui.open(f"/incidents/{answer['incident_id']}")
    expect(page.get_by_test_id("assignee")).to_contain_text("Alice Primary")
    page.locator('[data-action="escalate"]').click()
    expect(page.get_by_test_id("assignee")).to_contain_text("Bob Secondary")
    expect(page.locator('[data-event="escalated"]')).to_contain_text("Escalated to level 1")
    expect(page.get_by_test_id("action-error")).to_have_count(0)
    # At the policy's last step: the page says so and Escalate is off (the service would answer 409).
    expect(page.get_by_test_id("escalation")).to_contain_text("last step")
    expect(page.locator('[data-action="escalate"]')).to_be_disabled()


def browser_local(page, moment):
    """`moment` as a datetime-local input's value in the browser's own time zone."""
    zone = page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone")
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def test_an_override_added_on_the_card_is_who_is_on_call(ui, api, unique):
    team = unique("billing")
    members = [
        {"name": "Alice Primary", "email": "alice@example.com", "role": "primary"},
        {"name": "Bob Secondary", "email": "bob@example.com", "role": "secondary"},
    ]
    schedule = api("POST", "/api/v1/schedules", json={"team": team, "rotation_type": "weekly", "members": members})
    page = ui.open("/oncall")
    card = page.locator(f'[data-team="{team}"]')
    expect(card.get_by_test_id("primary")).to_contain_text("Alice Primary")

    card.get_by_test_id("add-override").click()
    form = card.get_by_test_id("override-form")
    now = dt.datetime.now(dt.UTC)
    form.locator('select[name="override-role"]').select_option("primary")
    form.locator('input[name="override-name"]').fill("Carol Cover")
    form.locator('input[name="override-email"]').fill("carol@example.com")
    form.locator('input[name="override-start"]').fill(browser_local(page, now - dt.timedelta(minutes=5)))
    form.locator('input[name="override-end"]').fill(browser_local(page, now + dt.timedelta(hours=6)))
    form.locator('button[type="submit"]').click()

    expect(card.get_by_test_id("action-done")).to_have_text("Override added.")
    expect(card.get_by_test_id("primary")).to_contain_text("Carol Cover")
    expect(card.get_by_test_id("secondary")).to_contain_text("Bob Secondary")
    expect(card.locator(".override")).to_be_visible()
    [override] = api("GET", f"/api/v1/schedules/{schedule['id']}/overrides")["items"]
    assert (override["name"], override["role"]) == ("Carol Cover", "primary")
    assert api("GET", "/api/v1/oncall/current", params={"team": team})["primary"]["name"] == "Carol Cover"
    ui.screenshot("oncall-override")
