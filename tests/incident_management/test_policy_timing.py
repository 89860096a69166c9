"""Table tests of policy timing: positions and repeats, due times, urgency, working hours across DST weeks."""

import datetime as dt

import pytest

from incident_management.paging.timing import (
    WorkingHours,
    due_after,
    escalates,
    is_last,
    low_urgency_notify_at,
    next_due,
    next_opening,
    next_position,
    next_reachable,
    urgency_of,
    within,
    working_hours_of,
)

UTC = dt.UTC


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("steps", "repeat", "position", "expected"),
    [
        (2, 0, (0, 0), (1, 0)),  # the seed's policy: primary, then secondary
        (2, 0, (1, 0), None),  # then nothing
        (3, 0, (1, 0), (2, 0)),
        (2, 1, (1, 0), (0, 1)),  # repeat once: back to the first step
        (2, 1, (0, 1), (1, 1)),
        (2, 1, (1, 1), None),
        (1, 2, (0, 0), (0, 1)),
        (1, 2, (0, 2), None),
        (0, 3, (0, 0), None),  # a policy without steps never pages
    ],
)
def test_next_position(steps, repeat, position, expected):
    assert next_position(steps, repeat, *position) == expected
    assert is_last(steps, repeat, *position) == (expected is None)


@pytest.mark.parametrize(
    ("delay", "paged_at", "due"),
    [
        (300, utc(2026, 3, 1, 12, 0), utc(2026, 3, 1, 12, 5)),
        (0, utc(2026, 3, 1, 12, 0), utc(2026, 3, 1, 12, 0)),
        (86400, utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 12, 0)),  # elapsed time: a DST night changes nothing
    ],
)
def test_due_after(delay, paged_at, due):
    assert due_after([{"delay_seconds": delay}], 0, paged_at) == due


@pytest.mark.parametrize(
    ("severity", "override", "urgency", "escalating"),
    [
        ("critical", None, "high", True),
        ("high", None, "high", True),
        ("medium", None, "low", False),
        ("low", None, "low", False),
        ("medium", {"medium": "high"}, "high", True),  # a service raises medium to high
        ("critical", {"critical": "low"}, "low", False),
        ("high", {"low": "high"}, "high", True),  # an override of another severity changes nothing
    ],
)
def test_urgency(severity, override, urgency, escalating):
    assert urgency_of(severity, override) == urgency
    assert escalates(urgency) is escalating


BERLIN = WorkingHours(timezone="Europe/Berlin")


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (utc(2026, 3, 27, 7, 59), False),  # Friday 08:59 CET
        (utc(2026, 3, 27, 8, 0), True),  # Friday 09:00 CET
        (utc(2026, 3, 27, 15, 59), True),
        (utc(2026, 3, 27, 16, 0), False),  # 17:00 CET
        (utc(2026, 3, 28, 10, 0), False),  # Saturday
        (utc(2026, 3, 30, 7, 0), True),  # Monday after the change: 09:00 CEST is 07:00 UTC
        (utc(2026, 3, 30, 6, 59), False),
        (utc(2026, 10, 26, 8, 0), True),  # Monday after the autumn change: 09:00 CET again
        (utc(2026, 10, 26, 7, 0), False),
    ],
)
def test_within_working_hours_across_dst(moment, inside):
    assert within(BERLIN, moment) is inside


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (utc(2026, 3, 27, 20, 0), utc(2026, 3, 30, 7, 0)),  # Friday evening CET -> Monday 09:00 CEST
        (utc(2026, 10, 23, 20, 0), utc(2026, 10, 26, 8, 0)),  # Friday evening CEST -> Monday 09:00 CET
        (utc(2026, 3, 30, 5, 0), utc(2026, 3, 30, 7, 0)),  # early Monday -> the same morning
        (utc(2026, 3, 30, 9, 30), utc(2026, 3, 30, 9, 30)),  # inside: at once
    ],
)
def test_next_opening_across_dst(moment, opening):
    assert next_opening(BERLIN, moment) == opening
    assert low_urgency_notify_at(BERLIN, moment) == opening


def test_without_working_hours_low_urgency_is_notified_at_once():
    moment = utc(2026, 3, 28, 3, 0)
    assert within(None, moment)
    assert low_urgency_notify_at(None, moment) == moment


def test_no_working_day_means_no_opening():
    assert next_opening(WorkingHours(days=()), utc(2026, 3, 28, 3, 0)) is None


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (None, None),
        ({}, None),
        (
            {"timezone": "America/New_York", "days": ["sat", "sun"], "start": "10:00", "end": "14:30"},
            WorkingHours("America/New_York", ("sat", "sun"), dt.time(10, 0), dt.time(14, 30)),
        ),
        ({"timezone": "Asia/Tokyo"}, WorkingHours(timezone="Asia/Tokyo")),
    ],
)
def test_working_hours_of(spec, expected):
    assert working_hours_of(spec) == expected


def chain(*people_per_step, delay=60):
    return [{"delay_seconds": delay, "people": ["x"] * count} for count in people_per_step]


@pytest.mark.parametrize(
    ("steps", "repeat", "position", "include", "reached", "skipped"),
    [
        (chain(1, 1), 0, (0, 0), True, (0, 0), []),  # the first step reaches someone: paged at once
        (chain(1, 1), 0, (0, 0), False, (1, 0), []),  # the seed's policy: primary, then secondary
        (chain(1, 0), 0, (0, 0), False, None, [(1, 0)]),  # no secondary: passed on, then nobody further
        (chain(0, 1), 0, (0, 0), True, (1, 0), [(0, 0)]),  # nobody at the first step: the second is paged
        (chain(1, 0, 1), 0, (0, 0), False, (2, 0), [(1, 0)]),  # an empty step in the middle passes on
        (chain(1, 0), 1, (0, 0), False, (0, 1), [(1, 0)]),  # an empty last step passes on to the next round
        (chain(0, 0), 3, (0, 0), True, None, [(0, 0), (1, 0)]),  # nobody at all: one round tells, no more
        (chain(1, 1), 0, (1, 0), False, None, []),  # at the last step
        (chain(1, 1), 2, (1, 2), False, None, []),  # the last step of the last round
    ],
)
def test_next_reachable(steps, repeat, position, include, reached, skipped):
    assert next_reachable(steps, repeat, position, include_current=include) == (reached, skipped)


@pytest.mark.parametrize(
    ("steps", "repeat", "position", "urgency", "due"),
    [
        (chain(1, 1), 0, (0, 0), "high", utc(2024, 3, 4, 12, 1)),  # waits its delay, then the next step
        (chain(1, 1), 0, (1, 0), "high", None),  # the last step: nothing is due after it
        (chain(1, 1), 1, (1, 0), "high", utc(2024, 3, 4, 12, 1)),  # repeats: the last step of round 0 is not
        (chain(1, 1), 0, (0, 0), "low", None),  # low urgency notifies, never escalates
    ],
)
def test_next_due(steps, repeat, position, urgency, due):
    assert next_due(steps, repeat, position, utc(2024, 3, 4, 12, 0), urgency) == due
