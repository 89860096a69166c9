"""Links from the alerts' sources are clickable on the incident page (item 7 of issue #11)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack


def test_runbook_and_source_links_are_clickable_on_the_incident_page(ui, api, unique):
    service = unique("links")
    alert = {
        "service": service,
        "severity": "high",
        "message": "queue depth above 10k",
        "links": [
            {"href": "https://runbooks.example.com/queue-depth", "text": "Runbook"},
            {"href": "http://prometheus.example.com:9090/graph?g0.expr=queue_depth", "text": "Source"},
        ],
        "images": [{"src": "https://grafana.example.com/render/queue.png", "alt": "queue depth panel"}],
    }
    incident_id = api("POST", "/api/v1/alerts", json=alert)["incident_id"]

    page = ui.open(f"/incidents/{incident_id}")
    links = page.get_by_test_id("incident-link")
    expect(links).to_have_count(2)
    expect(links.first).to_have_text("Runbook")
    expect(links.first).to_have_attribute("href", "https://runbooks.example.com/queue-depth")
    expect(links.first).to_have_attribute("target", "_blank")
    expect(links.first).to_have_attribute("rel", "noopener noreferrer")
    alert_links = page.get_by_test_id("alert-links").locator("a")
    expect(alert_links).to_have_count(3)
    expect(alert_links.nth(2)).to_have_text("image: queue depth panel")
    ui.screenshot("incident-links")
