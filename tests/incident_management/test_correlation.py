"""The correlation rule, without a database."""

import datetime as dt

import pytest

from incident_management.correlation.rules import incident_title, matches, pick_incident

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
ALERT = {"service": "payments", "severity": "critical", "message": "p99 latency above 2s"}


def incident(age_seconds, service="payments", severity="critical", status="open", name="i"):
    created = NOW - dt.timedelta(seconds=age_seconds)
    return {"id": name, "service": service, "severity": severity, "status": status, "created_at": created}


@pytest.mark.parametrize(
    ("candidate", "window", "expected"),
    [
        (incident(10), 300, True),
        (incident(300), 300, True),  # the window's edge is inside
        (incident(301), 300, False),
        (incident(10, status="acknowledged"), 300, True),
        (incident(10, status="in_progress"), 300, True),
        (incident(10, status="resolved"), 300, False),
        (incident(10, service="search"), 300, False),
        (incident(10, severity="high"), 300, False),
        (incident(599), 600, True),  # the window is configurable
        (incident(61), 60, False),
    ],
)
def test_matches(candidate, window, expected):
    assert matches(candidate, ALERT, NOW, window) is expected


def test_pick_incident_joins_the_newest_match():
    older, newer = incident(200, name="older"), incident(20, name="newer")
    assert pick_incident([older, newer], ALERT, NOW, 300)["id"] == "newer"


def test_pick_incident_skips_what_does_not_match():
    candidates = [incident(20, status="resolved", name="r"), incident(400, name="old"), incident(30, name="ok")]
    assert pick_incident(candidates, ALERT, NOW, 300)["id"] == "ok"


def test_pick_incident_opens_a_new_one_when_nothing_matches():
    assert pick_incident([], ALERT, NOW, 300) is None
    assert pick_incident([incident(20, severity="low")], ALERT, NOW, 300) is None


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("p99 latency above 2s", "payments: p99 latency above 2s"),
        ("disk full\nnode-3 /var at 100%", "payments: disk full"),
        ("   ", "payments: alert"),
        ("x" * 500, "payments: " + "x" * 189 + "…"),
    ],
)
def test_incident_title(message, title):
    made = incident_title({**ALERT, "message": message})
    assert made == title
    assert len(made) <= 200
