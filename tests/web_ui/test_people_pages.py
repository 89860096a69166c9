"""People and access in a real browser, with auth on: a responder made through the API signs in, acknowledges
and resolves an incident that an alert opened, and the timeline names them; they make an API token on their
profile and see it listed. The admin pages load for the admin and are refused to a viewer and a responder.
The new pages fit a phone (390x844). Screenshots: reports/screenshots/people-*.png and phone-people-*.png."""

import re
import uuid

import pytest
import requests
from playwright.sync_api import expect

from tests.auth.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TEST_PASSWORD
from tests.web_ui.conftest import UiPage
from tests.web_ui.test_phone_layouts import PHONE, fits

pytestmark = pytest.mark.stack

ADMIN_PAGES = {
    "/admin/users": "admin-users",
    "/admin/teams": "admin-teams",
    "/admin/integration-keys": "admin-keys",
    "/admin/webhooks": "admin-webhooks",
    "/admin/audit": "admin-audit",
}


@pytest.fixture(scope="module")
def people(auth_gateway, unique_module):
    """A responder and a viewer with passwords, made by the admin through the gateway's API."""
    gateway, admin_token = auth_gateway
    made = {}
    for role, name in (("responder", "Rita Responder"), ("viewer", "Vic Viewer")):
        body = {"name": name, "email": f"{unique_module(role)}@example.com", "role": role, "password": TEST_PASSWORD}
        answer = requests.post(
            f"{gateway}/api/v1/users", json=body, headers={"Authorization": f"Bearer {admin_token}"}, timeout=15
        )
        assert answer.status_code == 201, answer.text
        made[role] = answer.json()
    return made


@pytest.fixture(scope="module")
def unique_module():
    return lambda prefix: f"{prefix}-{uuid.uuid4().hex[:8]}"


def signed_in(browser, gateway, email, password, next_path="/", viewport=None):
    """A new browser context signed in through the sign-in page; returns its UiPage at `next_path`."""
    context = browser.new_context(**(viewport or {"viewport": {"width": 1400, "height": 900}}))
    tab = UiPage(context.new_page(), gateway)
    page = tab.open(f"/login?next={next_path}")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', password)
    page.click('form button[type="submit"]')
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    expect(page).to_have_url(f"{gateway}{next_path}")
    # Signed out, the browser logged the sign-in page's "who am I?" answer (401); signed in, the live stream
    # connects at once, and from here on any console error fails the test.
    expect(page.get_by_test_id("live-state")).to_have_attribute("data-live", "live")
    tab.allowed.clear()
    tab.problems.clear()
    return tab


def go(page, path):
    """Go to `path` inside the app, as a link would: no reload, so the tab keeps its one live stream (each
    reload opens another, and a process serves LIVE_MAX_STREAMS at a time)."""
    page.evaluate("path => { history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')) }", path)


def close(tab):
    problems = tab.unexpected_problems()
    tab.page.context.close()
    assert not problems, f"console errors on the page: {problems}"


def test_a_responder_acts_on_an_incident_and_the_timeline_names_them(browser, auth_gateway, people, unique_module):
    gateway, _ = auth_gateway
    service = unique_module("people-checkout")
    alert = requests.post(
        f"{gateway}/api/v1/alerts",
        json={"service": service, "severity": "critical", "message": "p99 above 2s"},
        timeout=15,
    )
    assert alert.status_code in (200, 201, 202), alert.text
    incident = alert.json()["incident_id"]
    rita = people["responder"]

    tab = signed_in(browser, gateway, rita["email"], TEST_PASSWORD, f"/incidents/{incident}")
    page = tab.page
    expect(page.get_by_test_id("incident-title")).to_contain_text(service)
    assert page.locator('input[name="operator"]').count() == 0, "signed in, no free-text actor"
    assert page.locator('input[name="author"]').count() == 0
    page.click('[data-action="acknowledged"]')
    acknowledged = page.locator('[data-event="acknowledged"]')
    expect(acknowledged).to_contain_text("Acknowledged after")
    expect(acknowledged.get_by_test_id("actor")).to_have_text("Rita Responder")
    page.click('[data-action="resolved"]')
    expect(page.locator("header [data-status]")).to_have_attribute("data-status", "resolved")
    expect(page.locator('[data-event="resolved"]').get_by_test_id("actor")).to_have_text("Rita Responder")
    tab.screenshot("people-incident-as-responder")

    # The profile, from the user menu: a token is shown once, then listed.
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("menu-profile").click()
    expect(page.get_by_test_id("profile-email")).to_have_value(rita["email"])
    page.fill('input[name="token_name"]', "laptop-script")
    page.click('[data-test="token-form"] button[type="submit"]')
    secret = page.get_by_test_id("secret-value")
    expect(secret).to_have_value(re.compile(r"^ipt_.{30,}"))
    value = secret.input_value()
    token = page.locator('[data-test="token"]', has_text="laptop-script")
    expect(token).to_have_count(1)
    expect(token.get_by_test_id("token-last-used")).to_have_text("never")
    me = requests.get(f"{gateway}/api/v1/auth/me", headers={"Authorization": f"Bearer {value}"}, timeout=15)
    assert me.json()["principal"]["name"] == "laptop-script"
    page.get_by_test_id("secret-done").click()
    expect(page.get_by_test_id("secret-once")).to_have_count(0)
    tab.screenshot("people-profile")

    # A responder is not an admin: no Admin link, and the page says what is needed.
    assert page.locator("nav[aria-label=Main] >> text=Admin").count() == 0
    tab.open("/admin/users")
    expect(page.get_by_test_id("needs-admin")).to_contain_text("needs the admin role")
    close(tab)


def test_admin_pages_load_for_the_admin_and_are_refused_to_a_viewer(browser, auth_gateway, people):
    gateway, _ = auth_gateway
    admin = signed_in(browser, gateway, ADMIN_EMAIL, ADMIN_PASSWORD, "/admin/users")
    page = admin.page
    expect(page.locator(f'[data-test="user-row"][data-email="{people["viewer"]["email"]}"]')).to_be_visible()
    for path, test_id in ADMIN_PAGES.items():
        page.click(f'nav[aria-label="Admin"] a[href="{path}"]')
        expect(page.get_by_test_id(test_id)).to_be_visible()
        expect(page.get_by_test_id("needs-admin")).to_have_count(0)
    page.select_option('select[name="area"]', "oncall")
    expect(page.locator('[data-test="audit-entry"]', has_text=people["viewer"]["id"]).first).to_be_visible()
    admin.screenshot("people-admin-audit")
    close(admin)

    viewer = signed_in(browser, gateway, people["viewer"]["email"], TEST_PASSWORD, "/")
    for path in ADMIN_PAGES:
        go(viewer.page, path)
        expect(viewer.page.get_by_test_id("needs-admin")).to_be_visible()
        expect(viewer.page.get_by_test_id("admin-users")).to_have_count(0)
    viewer.screenshot("people-needs-admin")
    close(viewer)


def test_the_people_pages_fit_a_phone(browser, auth_gateway, people):
    gateway, _ = auth_gateway
    phone = {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    admin = signed_in(browser, gateway, ADMIN_EMAIL, ADMIN_PASSWORD, "/profile", viewport=phone)
    page = admin.page
    expect(page.get_by_test_id("profile-email")).to_have_value(ADMIN_EMAIL)
    fits(page, "people-profile")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("menu-admin").click()
    for path, test_id in ADMIN_PAGES.items():
        page.click(f'nav[aria-label="Admin"] a[href="{path}"]')
        expect(page.get_by_test_id(test_id)).to_be_visible()
        fits(page, f"people-{test_id}")
    close(admin)

    viewer = signed_in(browser, gateway, people["viewer"]["email"], TEST_PASSWORD, "/admin/users", viewport=phone)
    expect(viewer.page.get_by_test_id("needs-admin")).to_be_visible()
    fits(viewer.page, "people-needs-admin")
    close(viewer)
