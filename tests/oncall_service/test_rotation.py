"""Rotation arithmetic: table tests over plain data, no database."""

import datetime as dt
import zoneinfo

import pytest

from oncall_service import rotation

UTC = dt.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
A, B, C = ({"name": n, "email": f"{n.lower()}@example.com"} for n in ("Alice", "Bob", "Carol"))
S1, S2 = ({"name": n, "email": f"{n.lower()}@example.com"} for n in ("Sam", "Sue"))


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def weekly(primaries=(A, B), secondaries=(), **kwargs):
    return rotation.Rotation("weekly", tuple(primaries), tuple(secondaries), **kwargs)


def daily(primaries=(A, B, C), secondaries=(), **kwargs):
    return rotation.Rotation("daily", tuple(primaries), tuple(secondaries), **kwargs)


def primary_at(rot, at, overrides=()):
    return rotation.on_call(rot, list(overrides), at)["primary"]["name"]


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # SPEC's rule: primaries[iso_week % 2]; ISO week 10 of 2024 starts on Monday 4 March.
        (utc(2024, 3, 4, 0, 0), "Alice"),  # week 10
        (utc(2024, 3, 10, 23, 59, 59), "Alice"),  # still week 10 (Sunday night)
        (utc(2024, 3, 11, 0, 0), "Bob"),  # week 11 begins at Monday 00:00 UTC
        (utc(2024, 3, 13, 12, 0), "Bob"),
        # Year change inside an ISO week: 30 Dec 2024 to 5 Jan 2025 is 2025-W01.
        (utc(2024, 12, 29, 23, 59), "Alice"),  # 2024-W52
        (utc(2024, 12, 31, 12, 0), "Bob"),  # 2025-W01, though the calendar year is 2024
        (utc(2025, 1, 5, 12, 0), "Bob"),
        (utc(2025, 1, 6, 0, 0), "Alice"),  # 2025-W02
        # A 53-week year: 2020-W53 and 2021-W01 both give index 1 (the rule as published).
        (utc(2020, 12, 21, 12, 0), "Alice"),  # 2020-W52
        (utc(2020, 12, 28, 12, 0), "Bob"),  # 2020-W53
        (utc(2021, 1, 4, 12, 0), "Bob"),  # 2021-W01
        (utc(2021, 1, 11, 12, 0), "Alice"),  # 2021-W02
    ],
)
def test_weekly_spec_rule(at, expected):
    assert primary_at(weekly(), at) == expected
    assert primary_at(weekly(), at) == ("Alice", "Bob")[at.isocalendar().week % 2]


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # With a rotation start members simply take turns: no double week at 53 or at the year change.
        (utc(2020, 12, 21, 12, 0), "Alice"),
        (utc(2020, 12, 28, 12, 0), "Bob"),
        (utc(2021, 1, 4, 12, 0), "Alice"),
        (utc(2021, 1, 11, 12, 0), "Bob"),
        (utc(2020, 12, 14, 12, 0), "Bob"),  # before the start the rotation extends backwards
    ],
)
def test_weekly_with_rotation_start_alternates_across_week_53(at, expected):
    assert primary_at(weekly(rotation_start=dt.date(2020, 12, 21)), at) == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # Daily without a start: primaries[ordinal_day % 3]; 2024-03-04 has ordinal 738949 (% 3 == 1).
        (utc(2024, 3, 4, 0, 0), "Bob"),
        (utc(2024, 3, 4, 23, 59), "Bob"),
        (utc(2024, 3, 5, 0, 0), "Carol"),
        (utc(2024, 3, 6, 0, 0), "Alice"),
        (utc(2024, 12, 31, 12, 0), ("Alice", "Bob", "Carol")[dt.date(2024, 12, 31).toordinal() % 3]),
        (utc(2025, 1, 1, 12, 0), ("Alice", "Bob", "Carol")[dt.date(2025, 1, 1).toordinal() % 3]),
    ],
)
def test_daily_ordinal_rule(at, expected):
    assert primary_at(daily(), at) == expected


def test_secondaries_rotate_by_the_same_rule_among_themselves():
    rot = weekly(primaries=(A, B, C), secondaries=(S1, S2))
    week10 = rotation.on_call(rot, [], utc(2024, 3, 6))
    assert (week10["primary"]["name"], week10["secondary"]["name"]) == ("Bob", "Sam")  # 10 % 3 == 1, 10 % 2 == 0
    week11 = rotation.on_call(rot, [], utc(2024, 3, 13))
    assert (week11["primary"]["name"], week11["secondary"]["name"]) == ("Carol", "Sue")
    assert rotation.on_call(weekly(), [], utc(2024, 3, 6))["secondary"] is None


@pytest.mark.parametrize(
    ("at", "shift_start", "shift_end"),
    [
        (utc(2024, 3, 6, 12), utc(2024, 3, 4), utc(2024, 3, 11)),
        (utc(2024, 3, 11), utc(2024, 3, 11), utc(2024, 3, 18)),
        (utc(2024, 12, 31), utc(2024, 12, 30), utc(2025, 1, 6)),
    ],
)
def test_weekly_shift_bounds_are_mondays_at_the_handoff(at, shift_start, shift_end):
    current = rotation.on_call(weekly(), [], at)
    assert (current["shift_start"], current["shift_end"]) == (shift_start, shift_end)


# Daily rotation handing over at 09:00 in Berlin, starting Saturday 30 March 2024; DST begins on the 31st
# (02:00 CET -> 03:00 CEST) and ends on 27 October (03:00 CEST -> 02:00 CET).
BERLIN_DAILY = daily(timezone="Europe/Berlin", handoff_time=dt.time(9, 0), rotation_start=dt.date(2024, 3, 30))


@pytest.mark.parametrize(
    ("at", "name", "start", "end"),
    [
        (utc(2024, 3, 30, 7, 59), "Carol", utc(2024, 3, 29, 8), utc(2024, 3, 30, 8)),  # before the first shift
        (utc(2024, 3, 30, 8, 0), "Alice", utc(2024, 3, 30, 8), utc(2024, 3, 31, 7)),  # 09:00 CET, 23 h long
        (utc(2024, 3, 31, 6, 59), "Alice", utc(2024, 3, 30, 8), utc(2024, 3, 31, 7)),
        (utc(2024, 3, 31, 7, 0), "Bob", utc(2024, 3, 31, 7), utc(2024, 4, 1, 7)),  # 09:00 CEST
        (utc(2024, 10, 26, 7, 0), "Alice", utc(2024, 10, 26, 7), utc(2024, 10, 27, 8)),  # 25 h long
        (utc(2024, 10, 27, 7, 59), "Alice", utc(2024, 10, 26, 7), utc(2024, 10, 27, 8)),
        (utc(2024, 10, 27, 8, 0), "Bob", utc(2024, 10, 27, 8), utc(2024, 10, 28, 8)),  # 09:00 CET again
    ],
)
def test_handoff_keeps_wall_clock_time_across_dst(at, name, start, end):
    current = rotation.on_call(BERLIN_DAILY, [], at)
    assert current["primary"]["name"] == name
    assert (current["shift_start"], current["shift_end"]) == (start, end)
    assert current["shift_start"].astimezone(BERLIN).time() == dt.time(9, 0)


def test_weekly_handoff_in_new_york_across_dst_and_the_spec_rule_in_local_weeks():
    rot = weekly(timezone="America/New_York", handoff_time=dt.time(9, 30))
    # Monday 4 March 2024 09:30 EST = 14:30 UTC; Monday 11 March 09:30 EDT = 13:30 UTC (DST began on the 10th).
    before = rotation.on_call(rot, [], utc(2024, 3, 4, 14, 29))
    assert before["primary"]["name"] == "Bob"  # still week 9 (9 % 2 == 1) until the local handoff
    current = rotation.on_call(rot, [], utc(2024, 3, 4, 14, 30))
    assert current["primary"]["name"] == "Alice"  # week 10
    assert (current["shift_start"], current["shift_end"]) == (utc(2024, 3, 4, 14, 30), utc(2024, 3, 11, 13, 30))
    assert current["shift_end"] - current["shift_start"] == dt.timedelta(days=7, hours=-1)


def test_a_handoff_time_skipped_by_dst_happens_an_hour_later_on_the_clock():
    rot = daily(timezone="Europe/Berlin", handoff_time=dt.time(2, 30), rotation_start=dt.date(2024, 3, 30))
    # 02:30 does not exist in Berlin on 31 March 2024: the handoff is at 03:30 CEST = 01:30 UTC.
    assert rotation.shift_start(rot, 1) == utc(2024, 3, 31, 1, 30)
    assert rotation.shift_start(rot, 2).astimezone(BERLIN).time() == dt.time(2, 30)
    assert primary_at(rot, utc(2024, 3, 31, 1, 29)) == "Alice"
    assert primary_at(rot, utc(2024, 3, 31, 1, 30)) == "Bob"


@pytest.mark.parametrize(
    "timezone", ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
)
@pytest.mark.parametrize("kind", ["weekly", "daily"])
def test_shift_index_is_consistent_with_shift_bounds_over_two_years(timezone, kind):
    rot = rotation.Rotation(kind, (A, B, C), (), timezone, dt.time(8, 15), None)
    at = utc(2024, 1, 1)
    while at < utc(2026, 1, 1):
        index = rotation.shift_index(rot, at)
        assert rotation.shift_start(rot, index) <= at < rotation.shift_start(rot, index + 1)
        at += dt.timedelta(hours=7, minutes=13)


def override(person, role, start, end, created=None):
    return {**person, "role": role, "start": start, "end": end, "created_at": created or utc(2024, 1, 1)}


def test_override_replaces_its_role_for_its_range_only():
    rot = weekly(secondaries=(S1,))
    cover = override(C, "primary", utc(2024, 3, 6, 18), utc(2024, 3, 7, 6))
    assert primary_at(rot, utc(2024, 3, 6, 17, 59), [cover]) == "Alice"
    current = rotation.on_call(rot, [cover], utc(2024, 3, 6, 18))
    assert current["primary"]["name"] == "Carol"
    assert current["secondary"]["name"] == "Sam"  # the other role is untouched
    assert current["override"] is True
    assert (current["shift_start"], current["shift_end"]) == (utc(2024, 3, 6, 18), utc(2024, 3, 7, 6))
    after = rotation.on_call(rot, [cover], utc(2024, 3, 7, 6))
    assert after["primary"]["name"] == "Alice"
    assert after["override"] is False
    assert (after["shift_start"], after["shift_end"]) == (utc(2024, 3, 7, 6), utc(2024, 3, 11))


def test_newest_override_wins_where_overrides_overlap():
    older = override(B, "primary", utc(2024, 3, 5), utc(2024, 3, 8), created=utc(2024, 1, 1))
    newer = override(C, "primary", utc(2024, 3, 6), utc(2024, 3, 7), created=utc(2024, 1, 2))
    assert primary_at(weekly(), utc(2024, 3, 5, 12), [older, newer]) == "Bob"
    assert primary_at(weekly(), utc(2024, 3, 6, 12), [older, newer]) == "Carol"
    assert primary_at(weekly(), utc(2024, 3, 7, 12), [older, newer]) == "Bob"


def test_secondary_override_adds_a_secondary_to_a_rotation_without_one():
    cover = override(S2, "secondary", utc(2024, 3, 4), utc(2024, 3, 5))
    assert rotation.on_call(weekly(), [cover], utc(2024, 3, 4, 12))["secondary"]["name"] == "Sue"


def test_shifts_list_handoffs_and_override_edges_in_order():
    cover = override(C, "primary", utc(2024, 3, 13), utc(2024, 3, 14))
    shifts = rotation.shifts(weekly(), [cover], utc(2024, 3, 6), utc(2024, 3, 25))
    summary = [(s["start"], s["end"], s["primary"]["name"], s["override"]) for s in shifts]
    assert summary == [
        (utc(2024, 3, 6), utc(2024, 3, 11), "Alice", False),
        (utc(2024, 3, 11), utc(2024, 3, 13), "Bob", False),
        (utc(2024, 3, 13), utc(2024, 3, 14), "Carol", True),
        (utc(2024, 3, 14), utc(2024, 3, 18), "Bob", False),
        (utc(2024, 3, 18), utc(2024, 3, 25), "Alice", False),
    ]


def test_shifts_are_capped_and_empty_for_an_empty_range():
    assert len(rotation.shifts(daily(), [], utc(2024, 1, 1), utc(2025, 1, 1), limit=10)) == 10
    assert rotation.shifts(daily(), [], utc(2024, 1, 2), utc(2024, 1, 1)) == []
    assert len(rotation.shifts(daily(), [], utc(2024, 1, 1), utc(2024, 1, 8))) == 7


def test_rotation_of_a_stored_schedule_keeps_member_order_per_role():
    schedule = {
        "rotation_type": "weekly",
        "members": [
            {**B, "role": "primary"},
            {**S1, "role": "secondary"},
            {**A, "role": "primary"},
        ],
        "timezone": "Europe/Berlin",
        "handoff_time": dt.time(9, 0),
        "rotation_start": None,
    }
    rot = rotation.rotation_of(schedule)
    assert rot.primaries == (B, A)
    assert rot.secondaries == (S1,)
    assert rot.zone == BERLIN
