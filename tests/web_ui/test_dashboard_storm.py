"""Critical first at any volume: a storm of low alerts on many services never pushes an open critical incident
off the dashboard's first screen, and the counts per severity say how many of each there are."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack

STORM = 100


def test_a_storm_of_low_alerts_leaves_the_critical_on_the_first_screen(ui, api, unique):
    storm = unique("storm")
    first = {"service": unique("payments"), "severity": "critical", "message": "checkout down"}
    critical = api("POST", "/api/v1/alerts", json=first)
    for n in range(STORM):
        alert = {"service": f"{storm}-{n:03d}", "severity": "low", "message": f"disk 80% full on node {n}"}
        api("POST", "/api/v1/alerts", json=alert)

    page = ui.open("/")
    row = page.locator(f'tbody tr[data-incident-id="{critical["incident_id"]}"]')
    expect(row).to_be_visible()
    box = row.bounding_box()
    viewport = page.viewport_size
    assert box["y"] + box["height"] <= viewport["height"], f"the critical row is below the first screen: {box}"
    expect(row.locator("[data-severity]")).to_have_text("critical")

    low = int(page.locator('[data-test="severity-count-low"] [data-test="value"]').inner_text())
    critical_count = int(page.locator('[data-test="severity-count-critical"] [data-test="value"]').inner_text())
    assert low >= STORM
    assert critical_count >= 1
    # The storm is on the later pages, with the real total.
    expect(page.get_by_test_id("page-info")).to_contain_text("Page 1 of")
    total = int(page.get_by_test_id("active-total").inner_text().strip("()"))
    assert total >= STORM + 1
    ui.screenshot("dashboard-storm")

    page.get_by_test_id("page-next").click()
    expect(page).to_have_url(f"{ui.base_url}/?page=2")
    expect(page.locator(f'tbody tr[data-incident-id="{critical["incident_id"]}"]')).to_have_count(0)
