"""The monitoring files are valid for the real tools, and agree with each other and with the services."""

import json
import pathlib
import shutil
import subprocess

import pytest
import yaml

from alert_ingestion import alertmanager
from nativestack import components

ROOT = pathlib.Path(__file__).resolve().parents[2]
MONITORING = ROOT / "monitoring"
PROVISIONING = MONITORING / "grafana" / "provisioning"
# docker-compose mounts monitoring/grafana/provisioning here.
GRAFANA_PROVISIONING_MOUNT = "/etc/grafana/provisioning"
PLATFORM_WATCHDOG = "7a7c4d09-0000-4000-8000-000000000001"  # the heartbeat Alertmanager's watchdog pings
RULE_FILES = sorted((MONITORING / "rules").glob("*.yml"))
DASHBOARDS = {path.stem: json.loads(path.read_text()) for path in (PROVISIONING / "dashboards").rglob("*.json")}


def run(*command):
    """Run one of Prometheus's or Alertmanager's tools (Debian's packages, installed by .ci/run)."""
    assert shutil.which(command[0]), f"{command[0]} is missing: apt-get install prometheus prometheus-alertmanager"
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_promtool_accepts_the_prometheus_configuration(tmp_path):
    """Beside the metrics token file that compose's Prometheus and the native stack write (empty: no token)."""
    shutil.copy(MONITORING / "prometheus.yml", tmp_path / "prometheus.yml")
    shutil.copytree(MONITORING / "rules", tmp_path / "rules")
    (tmp_path / "metrics-token").write_text("")
    output = run("promtool", "check", "config", str(tmp_path / "prometheus.yml"))
    assert f"SUCCESS: {len(RULE_FILES)} rule files found" in output


def test_every_platform_scrape_sends_the_metrics_token():
    jobs = yaml.safe_load((MONITORING / "prometheus.yml").read_text())["scrape_configs"]
    platform = {c.docker_host for c in components.COMPONENTS if c.docker_host not in {"prometheus", "alertmanager"}}
    platform -= {"nginx-exporter"}  # scraped through the gateway's /metrics (job web-ui)
    for job in jobs:
        sends = job.get("authorization") == {"credentials_file": "metrics-token"}
        assert sends == (job["job_name"] in platform), job["job_name"]


def test_promtool_accepts_the_rules():
    assert RULE_FILES
    run("promtool", "check", "rules", *map(str, RULE_FILES))


@pytest.mark.parametrize("unit_tests", sorted((MONITORING / "tests").glob("*.yml")), ids=lambda path: path.name)
def test_the_rules_pass_their_unit_tests(unit_tests):
    assert "SUCCESS" in run("promtool", "test", "rules", str(unit_tests))


def test_amtool_accepts_the_alertmanager_configuration():
    run("amtool", "check-config", "monitoring/alertmanager.yml")


@pytest.mark.parametrize(
    ("labels", "receiver"),
    [
        (["alertname=Watchdog", "severity=none"], "watchdog"),
        (["alertname=ServiceDown", "job=incident-management", "severity=critical"], "incident-platform"),
        (["alertname=AnythingElse"], "incident-platform"),
    ],
)
def test_alertmanager_routes_everything_but_the_watchdog_to_alert_ingestion(labels, receiver):
    output = run("amtool", "config", "routes", "test", "--config.file=monitoring/alertmanager.yml", *labels)
    assert output.strip() == receiver


def test_the_receiver_is_our_ingestion_endpoint_with_resolutions():
    config = yaml.safe_load((MONITORING / "alertmanager.yml").read_text())
    receivers = {receiver["name"]: receiver for receiver in config["receivers"]}
    [webhook] = receivers["incident-platform"]["webhook_configs"]
    assert webhook["url"] == "http://alert-ingestion:8001/api/v1/alerts/alertmanager"
    assert webhook["send_resolved"] is True
    # The watchdog pings the platform's dead man's switch, the heartbeat monitor made by migration 0153.
    [ping] = receivers["watchdog"]["webhook_configs"]
    assert ping["url"] == f"http://alert-ingestion:8001/api/v1/heartbeats/{PLATFORM_WATCHDOG}/ping"
    assert ping["send_resolved"] is False
    assert PLATFORM_WATCHDOG in (ROOT / "db" / "migrations" / "0153_heartbeats.sql").read_text()


def rules():
    for path in RULE_FILES:
        for group in yaml.safe_load(path.read_text())["groups"]:
            yield from group["rules"]


@pytest.mark.parametrize("rule", list(rules()), ids=lambda rule: rule["alert"])
def test_every_rule_has_a_mapped_severity_and_a_summary_and_description(rule):
    severity = rule["labels"]["severity"]
    assert severity in alertmanager.SEVERITY_MAP, f"{rule['alert']}: severity {severity!r} is not mapped"
    assert rule["annotations"]["summary"].strip()
    assert rule["annotations"]["description"].strip()


def test_the_rules_cover_what_the_platform_must_watch():
    names = {rule["alert"] for rule in rules()}
    assert {"ServiceDown", "HighAlertIngestionRate", "CriticalIncidentUnacknowledged", "MTTAAboveObjective",
            "Watchdog"} <= names  # fmt: skip


def test_prometheus_scrapes_every_component_under_the_spec_names():
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job["static_configs"][0]["targets"] for job in config["scrape_configs"]}
    assert jobs == {
        "alert-ingestion": ["alert-ingestion:8001"],
        "incident-management": ["incident-management:8002"],
        "oncall-service": ["oncall-service:8003"],
        "notification-service": ["notification-service:8004"],
        "web-ui": ["web-ui:8080"],
        "alertmanager": ["alertmanager:9093"],
        "prometheus": ["prometheus:9090"],
    }
    assert config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] == ["alertmanager:9093"]


def test_grafana_datasource_is_the_prometheus_the_dashboards_name():
    [datasource] = yaml.safe_load((PROVISIONING / "datasources" / "prometheus.yml").read_text())["datasources"]
    assert (datasource["type"], datasource["uid"], datasource["url"]) == (
        "prometheus",
        "prometheus",
        "http://prometheus:9090",
    )
    for dashboard in DASHBOARDS.values():
        for panel in dashboard["panels"]:
            assert panel["datasource"] == {"type": "prometheus", "uid": datasource["uid"]}
            assert all(target["datasource"] == panel["datasource"] for target in panel["targets"])


def test_the_dashboard_provider_reads_the_folder_of_the_dashboards():
    [provider] = yaml.safe_load((PROVISIONING / "dashboards" / "incident-platform.yml").read_text())["providers"]
    assert provider["type"] == "file"
    in_repository = PROVISIONING / provider["options"]["path"].removeprefix(GRAFANA_PROVISIONING_MOUNT + "/")
    assert sorted(path.stem for path in in_repository.glob("*.json")) == sorted(DASHBOARDS)


def test_the_two_dashboards_spec_names_with_stable_uids():
    assert {name: (d["uid"], d["title"]) for name, d in DASHBOARDS.items()} == {
        "live-incident-overview": ("live-incident-overview", "Live Incident Overview"),
        "sre-performance-metrics": ("sre-performance-metrics", "SRE Performance Metrics"),
    }


@pytest.mark.parametrize(
    ("dashboard", "panels"),
    [
        (
            "live-incident-overview",
            {"Open incidents by severity", "MTTA", "MTTR", "Incidents over time", "Top noisy services (last 24h)"},
        ),
        (
            "sre-performance-metrics",
            {"MTTA trend", "MTTR trend", "Incident volume by service", "Acknowledgement time distribution"},
        ),
    ],
)
def test_each_dashboard_has_the_panels_spec_names(dashboard, panels):
    assert panels <= {panel["title"] for panel in DASHBOARDS[dashboard]["panels"]}


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_panels_are_well_formed_and_do_not_overlap(name):
    panels = DASHBOARDS[name]["panels"]
    assert len({panel["id"] for panel in panels}) == len(panels)
    cells = set()
    for panel in panels:
        assert panel["targets"], panel["title"]
        assert len({target["refId"] for target in panel["targets"]}) == len(panel["targets"])
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        area = {
            (x, y) for x in range(grid["x"], grid["x"] + grid["w"]) for y in range(grid["y"], grid["y"] + grid["h"])
        }
        assert not cells & area, f"{panel['title']} overlaps another panel"
        cells |= area


def test_the_dashboards_use_the_spec_metric_names():
    exprs = " ".join(target["expr"] for d in DASHBOARDS.values() for p in d["panels"] for target in p["targets"])
    for metric in ("incidents_total", "incident_mtta_seconds", "incident_mttr_seconds", "alerts_received_total"):
        assert metric in exprs
