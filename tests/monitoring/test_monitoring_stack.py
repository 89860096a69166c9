"""Prometheus and Alertmanager of the native stack, for real: targets, rules, dashboards' queries, the webhook loop.

The stack runs the configuration files of monitoring/ as docker-compose does; the
`fast_monitoring` fixture only shortens the rendered copies' intervals (scrapes
every 2s, notifications within seconds) and reloads them, to keep the tests short.
The stack is shared with other tests: nothing here stops a component for long.
"""

import datetime as dt
import json
import math
import pathlib
import re
import time
import uuid

import pytest
import requests
import yaml

from tests.waiting import wait_for

pytestmark = pytest.mark.stack

ROOT = pathlib.Path(__file__).resolve().parents[2]
MONITORING = ROOT / "monitoring"
DASHBOARDS = sorted((MONITORING / "grafana" / "provisioning" / "dashboards").rglob("*.json"))
FAST_PROMETHEUS = {"scrape_interval: 15s": "scrape_interval: 2s", "scrape_timeout: 10s": "scrape_timeout: 2s",
                   "evaluation_interval: 15s": "evaluation_interval: 2s"}  # fmt: skip
FAST_ALERTMANAGER = {"group_wait: 30s": "group_wait: 1s", "group_interval: 1m": "group_interval: 2s"}


def _speed_up(path, replacements):
    text = path.read_text()
    for slow, fast in replacements.items():
        assert slow in text, f"{path} no longer has {slow!r}: update the test's replacements"
        text = text.replace(slow, fast)
    path.write_text(text)


@pytest.fixture(scope="module")
def fast_monitoring(stack):
    """The stack's Prometheus and Alertmanager, reloaded with short intervals; returns their URLs."""
    prometheus, alertmanager = stack.url("prometheus"), stack.url("alertmanager")
    _speed_up(stack.state / "prometheus" / "prometheus.yml", FAST_PROMETHEUS)
    _speed_up(stack.state / "alertmanager" / "alertmanager.yml", FAST_ALERTMANAGER)
    # Reloaded, not restarted: a restart would lose what Prometheus has already sent to Alertmanager.
    stack.ctl("signal", "HUP", "prometheus")
    stack.ctl("signal", "HUP", "alertmanager")

    def prometheus_config():
        return requests.get(f"{prometheus}/api/v1/status/config", timeout=5).json()["data"]["yaml"]

    def alertmanager_config():
        return requests.get(f"{alertmanager}/api/v2/status", timeout=5).json()["config"]["original"]

    wait_for(
        lambda: "scrape_interval: 2s" in prometheus_config(), what="Prometheus to reload its configuration", timeout=60
    )
    wait_for(
        lambda: "group_wait: 1s" in alertmanager_config(), what="Alertmanager to reload its configuration", timeout=60
    )
    return {"prometheus": prometheus, "alertmanager": alertmanager}


def promql(prometheus, query, **params):
    """Run an instant query (or a range query when start/end/step are given); returns the result list."""
    path = "query_range" if "step" in params else "query"
    response = requests.post(f"{prometheus}/api/v1/{path}", data={"query": query, **params}, timeout=10)
    assert response.status_code == 200, f"{query}: {response.text}"
    return response.json()["data"]["result"]


def scalar_values(result):
    """Every value of an instant or range query result, as floats."""
    values = []
    for series in result:
        points = series.get("values") or [series["value"]]
        values.extend(float(value) for _time, value in points)
    return values


def scrape_jobs():
    """{job name: [docker-style targets]} from monitoring/prometheus.yml."""
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    return {
        job["job_name"]: [target for static in job["static_configs"] for target in static["targets"]]
        for job in config["scrape_configs"]
    }


def test_every_scrape_job_is_a_stack_component_and_up(stack, fast_monitoring):
    native = stack.host_map()
    jobs = scrape_jobs()
    spec_jobs = {"alert-ingestion", "incident-management", "oncall-service", "web-ui"}
    assert spec_jobs | {"notification-service", "alertmanager", "prometheus"} <= set(jobs)
    expected = {}
    for job, targets in jobs.items():
        assert all(target in native for target in targets), f"job {job}: {targets} is not a native stack component"
        expected.update({native[target]: job for target in targets})

    def all_up():
        active = requests.get(f"{fast_monitoring['prometheus']}/api/v1/targets", timeout=5).json()["data"]
        health = {target["labels"]["instance"]: target["health"] for target in active["activeTargets"]}
        return health if all(health.get(address) == "up" for address in expected) else None

    health = wait_for(all_up, timeout=60, what=f"every target of {sorted(expected.values())} to be up")
    assert set(health) == set(expected)


def post_to_alertmanager(alertmanager, labels, annotations, ends_at=None):
    alert = {"labels": labels, "annotations": annotations, "generatorURL": "http://prometheus:9090/graph"}
    if ends_at:
        alert["endsAt"] = ends_at.isoformat().replace("+00:00", "Z")
    response = requests.post(f"{alertmanager}/api/v2/alerts", json=[alert], timeout=5)
    assert response.status_code == 200, response.text


def test_an_alert_sent_to_alertmanager_becomes_an_incident_and_its_end_resolves_it(stack, fast_monitoring):
    service = f"am-loop-{uuid.uuid4().hex[:8]}"
    labels = {"alertname": "QueueStuck", "service": service, "severity": "error", "team": "platform"}
    annotations = {"summary": "Queue consumer stuck", "description": "No message consumed for 10 minutes"}
    incidents_url = f"{stack.url('incident_management')}/api/v1/incidents"
    post_to_alertmanager(fast_monitoring["alertmanager"], labels, annotations)

    def incident_of_service():
        items = requests.get(incidents_url, params={"service": service}, timeout=5).json()["items"]
        return items[0] if items else None

    incident = wait_for(incident_of_service, timeout=30, what="Alertmanager's notification to open an incident")
    assert (incident["severity"], incident["status"], incident["team"]) == ("high", "open", "platform")
    assert incident["title"] == f"{service}: Queue consumer stuck"
    detail = requests.get(f"{incidents_url}/{incident['id']}", timeout=5).json()
    [alert] = detail["alerts"]
    assert (alert["source"], alert["status"], alert["labels"]) == ("alertmanager", "firing", labels)

    ended_at = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=1)
    post_to_alertmanager(fast_monitoring["alertmanager"], labels, annotations, ends_at=ended_at)

    def resolved_incident():
        current = requests.get(f"{incidents_url}/{incident['id']}", timeout=5).json()
        return current if current["status"] == "resolved" else None

    resolved = wait_for(resolved_incident, timeout=30, what="Alertmanager's resolved notification")
    assert resolved["resolved_by"] == "alertmanager"
    assert resolved["mttr_seconds"] is not None
    # The alert's end resolves the incident at once; paging may note its own events after (it runs apart).
    events = [(e["event_type"], e["actor"]) for e in resolved["timeline"]]
    assert events[events.index(("alert_resolved", "alertmanager")) :][:2] == [
        ("alert_resolved", "alertmanager"),
        ("resolved", "alertmanager"),
    ]
    assert resolved["alerts"][0]["status"] == "resolved"


def run_incident_flow(stack):
    """Alerts of several services and severities; one incident acknowledged then resolved, one acknowledged."""
    alerts_url = f"{stack.url('alert_ingestion')}/api/v1/alerts"
    incidents_url = f"{stack.url('incident_management')}/api/v1/incidents"
    run = uuid.uuid4().hex[:6]
    opened = []
    for service, severity, count in (("checkout", "critical", 3), ("search", "high", 2), ("billing", "low", 1)):
        for index in range(count):
            body = {"service": f"{service}-{run}", "severity": severity, "message": f"{service} failing #{index}"}
            response = requests.post(alerts_url, json=body, timeout=10)
            assert response.status_code == 201, response.text
            opened.append(response.json()["incident_id"])
    first, second, _third = dict.fromkeys(opened)
    time.sleep(1)  # an acknowledgement time above zero
    for incident_id, status in ((first, "acknowledged"), (first, "resolved"), (second, "acknowledged")):
        response = requests.patch(f"{incidents_url}/{incident_id}", json={"status": status, "actor": "sre"}, timeout=10)
        assert response.status_code == 200, response.text


def grafana_variables(panel):
    """Grafana's built-in variables, as the dashboards would have them over the last hour."""
    return {"$__rate_interval": "1m", "$__interval": panel.get("interval", "1m"), "$__range": "1h"}


def panel_queries():
    for path in DASHBOARDS:
        dashboard = json.loads(path.read_text())
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                expr = target["expr"]
                for name, value in grafana_variables(panel).items():
                    expr = expr.replace(name, value)
                assert "$" not in expr, f"{dashboard['title']} / {panel['title']}: unknown variable in {expr}"
                yield f"{dashboard['title']} / {panel['title']} / {target['refId']}", expr, target.get("instant", False)


def test_every_dashboard_panel_query_returns_data_after_an_incident_flow(stack, fast_monitoring):
    prometheus = fast_monitoring["prometheus"]
    # Prometheus must have seen the histograms before the flow, so that increase() counts it.
    wait_for(lambda: promql(prometheus, "sum(incident_mtta_seconds_count)"), what="a first scrape of MTTA", timeout=60)
    time.sleep(2.5)
    run_incident_flow(stack)
    for histogram in ("incident_mtta_seconds_count", "incident_mttr_seconds_count"):
        increase = f"sum(increase({histogram}[1m])) > 0"
        wait_for(
            lambda query=increase: promql(prometheus, query),
            what=f"Prometheus to scrape the flow's {histogram}",
            timeout=60,
        )
    wait_for(lambda: promql(prometheus, "incidents_opened_last_24h"), what="the noisy services gauge", timeout=60)

    now = time.time()
    empty = []
    queries = list(panel_queries())
    assert len(queries) >= 15
    for name, expr, instant in queries:
        window = {} if instant else {"start": now - 300, "end": now, "step": 5}
        values = scalar_values(promql(prometheus, expr, **window))
        if not [value for value in values if math.isfinite(value)]:
            empty.append(f"{name}: {expr} -> {values[:5]}")
    assert not empty, "panels without data:\n" + "\n".join(empty)


def test_the_native_configuration_is_the_shared_one_with_native_addresses(stack, fast_monitoring):
    rendered = (stack.state / "alertmanager" / "alertmanager.yml").read_text()
    assert f"{stack.url('alert_ingestion')}/api/v1/alerts/alertmanager" in rendered
    assert not re.search(r"alert-ingestion:8001", rendered)
    rules = sorted(path.name for path in (stack.state / "prometheus" / "rules").iterdir())
    assert rules == sorted(path.name for path in (MONITORING / "rules").glob("*.yml"))


def test_rules_are_loaded_and_the_watchdog_pings_the_platforms_heartbeat(stack, fast_monitoring):
    def evaluated_rules():
        groups = requests.get(f"{fast_monitoring['prometheus']}/api/v1/rules", timeout=5).json()["data"]["groups"]
        rules = {rule["name"]: rule for group in groups for rule in group["rules"]}
        return rules if all(rule["health"] != "unknown" for rule in rules.values()) else None

    rules = wait_for(evaluated_rules, timeout=30, what="a first evaluation of every rule")
    assert {"ServiceDown", "HighAlertIngestionRate", "CriticalIncidentUnacknowledged", "MTTAAboveObjective",
            "Watchdog"} <= set(rules)  # fmt: skip
    assert {name: rule["health"] for name, rule in rules.items() if rule["health"] != "ok"} == {}
    assert rules["Watchdog"]["state"] == "firing"

    def watchdog_at_alertmanager():
        alerts = requests.get(f"{fast_monitoring['alertmanager']}/api/v2/alerts", timeout=5).json()
        return [alert for alert in alerts if alert["labels"]["alertname"] == "Watchdog"]

    # Prometheus sends its first alerts before it has found Alertmanager, and resends them a minute later:
    # on a stack that has just started, this waits for that resend.
    watchdog = wait_for(watchdog_at_alertmanager, timeout=90, what="the Watchdog to reach Alertmanager")
    assert [receiver["name"] for receiver in watchdog[0]["receivers"]] == ["watchdog"]
    heartbeat = f"{stack.url('alert_ingestion')}/api/v1/heartbeats/7a7c4d09-0000-4000-8000-000000000001"
    pinged = wait_for(
        lambda: requests.get(heartbeat, timeout=5).json().get("last_ping_at"),
        timeout=90,
        what="Alertmanager's watchdog notification to ping the platform-watchdog heartbeat",
    )
    assert pinged
    incidents = requests.get(f"{stack.url('incident_management')}/api/v1/incidents?service=Watchdog", timeout=5)
    assert incidents.json()["total"] == 0
