"""Table tests of when and at what time an incident is resolved by its alerts' source."""

import datetime as dt

import pytest

from incident_management.resolution import rules as source_resolution

T0 = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def minutes(n):
    return T0 + dt.timedelta(minutes=n)


def incident(status="open", acknowledged=None, in_progress=None):
    return {"status": status, "created_at": T0, "acknowledged_at": acknowledged, "in_progress_at": in_progress}


@pytest.mark.parametrize(
    ("status", "firing", "unrecorded", "resolve"),
    [
        ("open", 0, 0, True),
        ("acknowledged", 0, 0, True),
        ("in_progress", 0, 0, True),
        ("open", 1, 0, False),
        ("open", 0, 1, False),
        ("resolved", 0, 0, False),
    ],
)
def test_resolve_an_unresolved_incident_with_the_last_resolution_of_its_alerts(status, firing, unrecorded, resolve):
    assert source_resolution.should_resolve(incident(status), firing, unrecorded) is resolve


@pytest.mark.parametrize(
    ("record", "last_alert_end", "now", "expected"),
    [
        (incident(), minutes(7), minutes(9), minutes(7)),  # the source's end time, not the notification's
        (incident(), minutes(-2), minutes(9), T0),  # ended before the incident opened: never before it
        (incident(acknowledged=minutes(5)), minutes(3), minutes(9), minutes(5)),
        (incident(acknowledged=minutes(1), in_progress=minutes(6)), minutes(4), minutes(9), minutes(6)),
        (incident(), None, minutes(9), minutes(9)),  # no end time known: now
        (incident(), minutes(30), minutes(9), minutes(9)),  # an end in the future: now
    ],
)
def test_resolution_time(record, last_alert_end, now, expected):
    assert source_resolution.resolution_time(record, last_alert_end, now) == expected


def test_plan_stores_mttr_and_names_the_source_without_acknowledging():
    plan = source_resolution.plan_resolution(incident(), minutes(12), "alertmanager", minutes(13))
    assert plan == {
        "status": "resolved",
        "resolved_at": minutes(12),
        "resolved_by": "alertmanager",
        "mttr_seconds": 720.0,
    }
