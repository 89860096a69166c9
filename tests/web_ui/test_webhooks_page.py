"""The webhooks admin page in a real browser: a subscription made on the page (its secret shown once) gets a
signed test event at a local receiver, and the delivery log on the page says so; a refused URL is explained;
disabling and deleting work from the page. Screenshot: reports/screenshots/webhooks-admin.png."""

import json
import time

import pytest
from playwright.sync_api import expect

from incident_management.webhooks import rules
from tests.access.listener import Listener

pytestmark = pytest.mark.stack


@pytest.fixture
def listener():
    started = Listener("127.0.0.1")
    yield started
    started.close()


def test_subscribe_test_event_and_delivery_log_from_the_page(ui, unique, listener):
    team = unique("hooks-ui")
    url = f"http://127.0.0.1:{listener.port}/in"
    page = ui.open("/admin/webhooks")
    form = page.get_by_test_id("webhook-form")
    form.locator('input[name="team"]').fill(team)
    form.locator('input[name="url"]').fill(url)
    form.locator('input[data-event="incident.note_added"]').uncheck()
    form.locator('button[type="submit"]').click()

    secret = page.get_by_test_id("secret-value").input_value()
    assert secret.startswith("whsec_")
    row = page.locator(f'[data-test="webhook-row"][data-url="{url}"]')
    expect(row).to_contain_text(team)
    expect(row).not_to_contain_text("note_added")
    page.get_by_test_id("secret-done").click()
    expect(page.get_by_test_id("secret-once")).to_have_count(0)

    row.get_by_test_id("test-webhook").click()
    log = page.get_by_test_id("webhook-deliveries")
    deadline = time.monotonic() + 20
    while not listener.requests and time.monotonic() < deadline:
        time.sleep(0.2)
    (request,) = listener.requests
    headers = request["headers"]
    assert headers["X-Incident-Event"] == "webhook.test"
    assert rules.verify(
        secret, headers["X-Incident-Timestamp"], request["body"], headers["X-Incident-Signature"], time.time()
    )
    assert json.loads(request["body"])["incident"]["team"] == team
    log.get_by_test_id("refresh-deliveries").click()
    delivered = log.locator('[data-test="delivery-row"][data-status="delivered"]')
    expect(delivered).to_contain_text("webhook.test")
    expect(delivered).to_contain_text("HTTP 200")
    ui.screenshot("webhooks-admin")

    row.get_by_test_id("toggle-webhook").click()
    expect(row).to_have_attribute("data-enabled", "no")
    row.get_by_test_id("delete-webhook").click()
    expect(row).to_have_count(0)


def test_a_refused_url_is_explained_on_the_page(ui, unique):
    ui.allow_console_error("422")  # the browser logs the refused request
    page = ui.open("/admin/webhooks")
    form = page.get_by_test_id("webhook-form")
    form.locator('input[name="team"]').fill(unique("hooks-ui"))
    form.locator('input[name="url"]').fill("http://10.1.2.3/in")
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("webhook-error")).to_contain_text("private address")
    expect(page.get_by_test_id("secret-once")).to_have_count(0)
