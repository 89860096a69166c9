"""The SRE metrics page in a real browser: its charts are drawn from the stats API, and it links to Grafana."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.stack

# Pixels of a chart in its data's colour (a theme variable): axes and grid alone have none.
DATA_PIXELS = """(canvas, variable) => {
  const hex = getComputedStyle(document.documentElement).getPropertyValue(variable).trim()
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)
  let count = 0
  for (let i = 0; i < data.length; i += 4) {
    const near = Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40
    if (near && data[i + 3] > 200) count++
  }
  return count
}"""
# Chart (by its aria-label's start) -> the theme colour its data is drawn in.
CHART_COLOURS = {
    "Mean time to acknowledge": "--accent",
    "Mean time to resolve": "--ok",
    "Incidents opened": "--accent",
    "Incidents per service": "--sev-high",
}


def assert_charts_drawn(charts):
    labels = [charts.nth(i).get_attribute("aria-label") for i in range(charts.count())]
    assert [label.split(" per")[0] for label in labels] == [
        "Mean time to acknowledge",
        "Mean time to resolve",
        "Incidents opened",
        "Incidents",
    ], labels
    for index, label in enumerate(labels):
        colour = next(v for k, v in CHART_COLOURS.items() if label.startswith(k))
        drawn = charts.nth(index).evaluate(DATA_PIXELS, colour)
        assert drawn > 10, f"chart '{label}' shows no data ({drawn} pixels in {colour})"


def test_charts_are_drawn_from_the_stats(ui, api, stack, unique):
    services = [unique("checkout"), unique("search")]
    for service in services:
        answer = api("POST", "/api/v1/alerts", json={"service": service, "severity": "medium", "message": "slow"})
        api("PATCH", f"/api/v1/incidents/{answer['incident_id']}", json={"status": "acknowledged"})
        api("PATCH", f"/api/v1/incidents/{answer['incident_id']}", json={"status": "resolved"})

    page = ui.open("/metrics-page")
    charts = page.get_by_test_id("chart")
    expect(charts).to_have_count(4)
    expect(page.get_by_role("heading", name="MTTA trend")).to_be_visible()
    expect(page.get_by_role("heading", name="Incidents by service")).to_be_visible()
    assert_charts_drawn(charts)

    stats = api("GET", "/api/v1/incidents/stats")
    assert stats["mtta_seconds_avg"] is not None and stats["mttr_seconds_avg"] is not None

    # The native stack runs no Grafana: no link to one (compose sets GRAFANA_URL, and the link is there).
    assert not stack.variables().get("GRAFANA_URL")
    expect(page.get_by_test_id("grafana")).to_have_count(0)
    ui.screenshot("metrics")

    # Another range redraws from another query, still without errors.
    page.select_option('[data-test="range"]', label="Last 24 hours")
    expect(page.get_by_test_id("range")).to_have_value("24h")
    expect(charts).to_have_count(4)
    assert_charts_drawn(charts)
