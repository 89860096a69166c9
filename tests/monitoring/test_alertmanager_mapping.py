"""Table tests of the pure mapping from Alertmanager alerts to platform alerts."""

import datetime as dt
import json
import pathlib

import pytest

from alert_ingestion import alertmanager

PAYLOADS = pathlib.Path(__file__).parent / "payloads"
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
GO_ZERO = dt.datetime(1, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("labels", "severity"),
    [
        ({"severity": "critical"}, "critical"),
        ({"severity": "CRITICAL"}, "critical"),
        ({"severity": " page "}, "critical"),
        ({"severity": "error"}, "high"),
        ({"severity": "high"}, "high"),
        ({"severity": "major"}, "high"),
        ({"severity": "warning"}, "medium"),
        ({"severity": "Warn"}, "medium"),
        ({"severity": "info"}, "low"),
        ({"severity": "none"}, "low"),
        ({"severity": "P4"}, "low"),
        ({}, "low"),
        ({"severity": ""}, "low"),
        ({"severity": "sev-unheard-of"}, "medium"),
    ],
)
def test_severity_mapping(labels, severity):
    assert alertmanager.map_severity(labels) == severity


def test_every_mapped_severity_is_a_platform_severity():
    platform = {"critical", "high", "medium", "low"}
    assert set(alertmanager.SEVERITY_MAP.values()) == platform
    assert {alertmanager.MISSING_SEVERITY, alertmanager.UNKNOWN_SEVERITY} <= platform


@pytest.mark.parametrize(
    ("labels", "service"),
    [
        ({"service": "checkout", "job": "api", "alertname": "HighErrorRate"}, "checkout"),
        ({"job": "node", "alertname": "DiskFull"}, "node"),
        ({"alertname": "Watchdog"}, "Watchdog"),
        ({"service": "  ", "job": "node"}, "node"),
        ({"instance": "db-1:9100"}, None),
    ],
)
def test_service_falls_back_from_service_to_job_to_alertname(labels, service):
    assert alertmanager.service_of(labels) == service


@pytest.mark.parametrize(
    ("annotations", "message"),
    [
        ({"summary": "Disk full", "description": "/var is at 99%"}, "Disk full\n\n/var is at 99%"),
        ({"summary": "Disk full"}, "Disk full"),
        ({"description": "/var is at 99%"}, "/var is at 99%"),
        ({"runbook_url": "https://runbooks/disk"}, "DiskFull"),
        ({}, "DiskFull"),
    ],
)
def test_message_from_summary_and_description_else_the_alert_name(annotations, message):
    assert alertmanager.message_of({"alertname": "DiskFull"}, annotations) == message


def test_a_long_message_is_cut_to_what_an_alert_holds():
    message = alertmanager.message_of({}, {"description": "x" * 20000})
    assert len(message) == alertmanager.MESSAGE_MAX
    assert message.endswith("…")


def test_without_any_text_the_message_still_says_something():
    assert alertmanager.message_of({}, {}) == "Alertmanager alert"


def recorded_alerts():
    for path in sorted(PAYLOADS.glob("*.json")):
        for alert in json.loads(path.read_text())["alerts"]:
            if "fingerprint" in alert:
                yield pytest.param(alert["labels"], alert["fingerprint"], id=f"{path.stem}-{alert['fingerprint']}")


@pytest.mark.parametrize(("labels", "expected"), recorded_alerts())
def test_fingerprint_is_computed_as_alertmanager_computes_it(labels, expected):
    assert alertmanager.fingerprint(labels) == expected


def test_fingerprint_of_no_labels_is_the_empty_hash():
    assert alertmanager.fingerprint({}) == "cbf29ce484222325"


@pytest.mark.parametrize(
    ("alert", "status"),
    [
        ({"status": "firing", "ends_at": NOW - dt.timedelta(minutes=1)}, "firing"),
        ({"status": "resolved"}, "resolved"),
        ({"ends_at": GO_ZERO}, "firing"),
        ({"ends_at": NOW + dt.timedelta(minutes=5)}, "firing"),
        ({"ends_at": NOW - dt.timedelta(minutes=1)}, "resolved"),
        ({}, "firing"),
    ],
)
def test_status_is_the_alerts_own_else_derived_from_ends_at(alert, status):
    assert alertmanager.status_of(alert, NOW) == status


@pytest.mark.parametrize(
    ("ends_at", "resolved_at"),
    [
        (NOW - dt.timedelta(minutes=3), NOW - dt.timedelta(minutes=3)),
        (None, NOW),
        (GO_ZERO, NOW),
        (NOW + dt.timedelta(hours=1), NOW),
    ],
)
def test_resolved_at_is_ends_at_unless_absent_or_in_the_future(ends_at, resolved_at):
    assert alertmanager.resolved_at({"ends_at": ends_at}, NOW) == resolved_at


def test_a_firing_alert_becomes_a_platform_alert():
    alert = {
        "status": "firing",
        "labels": {"alertname": "HighErrorRate", "service": "checkout", "severity": "critical", "team": "payments"},
        "annotations": {"summary": "Checkout 5xx above 5%", "runbook_url": "https://runbooks/checkout"},
        "starts_at": dt.datetime(2026, 11, 27, 9, 2, 45, tzinfo=dt.UTC),
        "ends_at": GO_ZERO,
        "fingerprint": "126dbc379a45a791",
    }
    assert alertmanager.to_platform_alert(alert) == {
        "service": "checkout",
        "severity": "critical",
        "message": "Checkout 5xx above 5%",
        "labels": {"alertname": "HighErrorRate", "service": "checkout", "severity": "critical", "team": "payments"},
        "dedup_key": "126dbc379a45a791",
        "timestamp": "2026-11-27T09:02:45+00:00",
        "links": [{"href": "https://runbooks/checkout", "text": "runbook_url"}],
    }


def test_without_fingerprint_or_start_the_key_is_computed_and_the_time_left_to_the_receiver():
    alert = {"labels": {"alertname": "DiskFull", "job": "node"}, "starts_at": GO_ZERO}
    body = alertmanager.to_platform_alert(alert)
    assert body["dedup_key"] == alertmanager.fingerprint(alert["labels"])
    assert "timestamp" not in body
    assert (body["service"], body["severity"], body["message"]) == ("node", "low", "DiskFull")
