"""The policy editor in a real browser: a policy built step by step (delays, a schedule's on-call, a person,
a repeat) becomes the team's default and its chain on the on-call page; editing it changes a delay."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack


def test_a_policy_built_in_the_editor_is_the_teams_chain(ui, api, unique):
    team = unique("checkout")
    members = [
        {"name": "Alice Primary", "email": "alice@example.com", "role": "primary"},
        {"name": "Bob Secondary", "email": "bob@example.com", "role": "secondary"},
    ]
    schedule = api("POST", "/api/v1/schedules", json={"team": team, "rotation_type": "weekly", "members": members})
    name = f"{team} nights"

    page = ui.open("/policies")
    page.get_by_test_id("new-policy").click()
    form = page.get_by_test_id("policy-form")
    form.locator('input[name="policy-team"]').fill(team)
    form.locator('input[name="policy-name"]').fill(name)
    form.locator('input[name="policy-repeat"]').fill("1")
    form.locator('input[name="policy-default"]').check()
    form.locator('select[name="step-0-target-0-schedule"]').select_option(label=team)
    form.locator('input[name="step-0-delay"]').fill("10")
    form.get_by_test_id("add-step").click()
    form.locator('select[name="step-1-target-0-type"]').select_option("user")
    form.locator('input[name="step-1-target-0-email"]').fill("sam@example.com")
    form.locator('input[name="step-1-target-0-name"]').fill("Sam Manager")
    form.locator('button[type="submit"]').click()

    expect(page.get_by_test_id("policy-saved")).to_contain_text(name)
    card = page.locator(f'[data-policy="{name}"]')
    steps = card.get_by_test_id("policy-step-summary")
    expect(steps.nth(0)).to_contain_text(f"primary of {team}")
    expect(steps.nth(0)).to_contain_text("escalates after 10m")
    expect(steps.nth(1)).to_contain_text("Sam Manager")
    expect(card).to_contain_text("default")
    ui.screenshot("policy-editor")

    [policy] = [p for p in api("GET", "/api/v1/escalation-policies", params={"team": team})["items"] if p["is_default"]]
    assert (policy["name"], policy["repeat"]) == (name, 1)
    assert [(s["delay_seconds"], [t["type"] for t in s["targets"]]) for s in policy["steps"]] == [
        (600, ["schedule"]),
        (300, ["user"]),
    ]
    assert policy["steps"][0]["targets"][0] == {"type": "schedule", "schedule_id": schedule["id"], "role": "primary"}

    # Edited: the first step now waits 15 minutes; the team stays, and the default with it.
    card.get_by_test_id("edit-policy").click()
    form = page.get_by_test_id("policy-form")
    expect(form.locator('input[name="policy-team"]')).to_be_disabled()
    form.locator('input[name="step-0-delay"]').fill("15")
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("policy-saved")).to_contain_text(name)
    expect(card.get_by_test_id("policy-step-summary").nth(0)).to_contain_text("escalates after 15m")
    assert api("GET", f"/api/v1/escalation-policies/{policy['id']}")["steps"][0]["delay_seconds"] == 900

    # The on-call page shows the team's chain by it.
    page = ui.open("/oncall")
    chain = page.locator(f'[data-team="{team}"]').get_by_test_id("chain")
    expect(chain).to_contain_text(name)
    expect(chain.get_by_test_id("chain-next")).to_contain_text("after 15m")
    expect(chain.get_by_test_id("chain-next")).to_contain_text("Sam Manager")


def test_the_editor_shows_what_the_service_refuses(ui, api, unique):
    team = unique("ledger")
    members = [{"name": "Alice Primary", "email": "alice@example.com", "role": "primary"}]
    api("POST", "/api/v1/schedules", json={"team": team, "rotation_type": "daily", "members": members})
    ui.allow_console_error("status of 409")

    page = ui.open("/policies")
    page.get_by_test_id("new-policy").click()
    form = page.get_by_test_id("policy-form")
    form.locator('input[name="policy-team"]').fill(team)
    form.locator('input[name="policy-name"]').fill(f"{team} default")  # the schedule's policy has that name
    form.locator('select[name="step-0-target-0-schedule"]').select_option(label=team)
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("policy-error")).to_contain_text("409")
