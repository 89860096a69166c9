"""Every page on a phone (390x844): nothing lays out wider than the screen, nothing is cut off inside a box
that scrolls sideways, and the dashboard's incidents are cards. Screenshots: reports/screenshots/phone-*.png."""

import pytest
from playwright.sync_api import expect

from tests.web_ui.conftest import SCREENSHOTS

pytestmark = pytest.mark.stack

PHONE = {"width": 390, "height": 844}
# The page's width, and every element that hides or scrolls content sideways (a table in a 306 px box).
OVERFLOW = """() => {
  const root = document.documentElement
  const clipped = [...document.querySelectorAll('body *')]
    .filter((e) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX))
    .filter((e) => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${e.scrollWidth}>${e.clientWidth}`)
  const wide = [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${e.getBoundingClientRect().right}`)
  return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, clipped, wide: wide.slice(0, 8) }
}"""


@pytest.fixture
def phone(browser, gateway):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems


def fits(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=True)
    found = page.evaluate(OVERFLOW)
    assert found["scrollWidth"] <= found["clientWidth"], f"{name} is wider than the phone: {found}"
    assert not found["clipped"], f"{name} cuts content off in a sideways-scrolling box: {found}"
    assert not found["wide"], f"{name} has elements past the screen's edge: {found}"


def test_every_page_fits_a_phone(phone, gateway, api, unique):
    service = unique("phone-checkout-with-a-long-service-name")
    answer = api("POST", "/api/v1/alerts", json={"service": service, "severity": "critical", "message": "p99 " * 30})
    api("POST", "/api/v1/alerts", json={"service": unique("phone"), "severity": "low", "message": "disk 80% full"})
    team = unique("phone-team")
    members = [
        {"name": "Alice Averyverylongname", "email": "alice.averyverylongname@example.com", "role": "primary"},
        {"name": "Bob", "email": "bob@example.com", "role": "secondary"},
    ]
    api("POST", "/api/v1/schedules", json={"team": team, "rotation_type": "weekly", "members": members})

    phone.goto(f"{gateway}/")
    row = phone.locator(f'tbody tr[data-incident-id="{answer["incident_id"]}"]')
    expect(row).to_be_visible()
    assert phone.locator("thead").first.is_hidden(), "the dashboard's incidents are cards on a phone"
    fits(phone, "dashboard")

    phone.goto(f"{gateway}/incidents/{answer['incident_id']}")
    expect(phone.get_by_test_id("incident-title")).to_be_visible()
    fits(phone, "incident")

    phone.goto(f"{gateway}/history?q=disk")
    expect(phone.get_by_test_id("history-total")).to_be_visible()
    fits(phone, "history")

    phone.goto(f"{gateway}/oncall")
    expect(phone.get_by_role("heading", name=team)).to_be_visible()
    fits(phone, "oncall")

    phone.goto(f"{gateway}/metrics-page")
    expect(phone.locator("canvas").first).to_be_visible()
    fits(phone, "metrics")

    phone.goto(f"{gateway}/no/such/page")
    expect(phone.get_by_test_id("not-found")).to_be_visible()
    fits(phone, "not-found")
