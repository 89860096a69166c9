"""When each delivery of a page is due (incident_management.paging.deliveries): pure table tests."""

import datetime as dt

import pytest

from incident_management.paging.contacts import Target
from incident_management.paging.deliveries import for_notice, plan, stops

PAGED = dt.datetime(2026, 3, 29, 0, 59, 30, tzinfo=dt.UTC)  # a page half a minute before Europe's DST change
EMAIL = Target("email", "a@example.com", "-r1", 0)
SLACK = Target("slack", "https://hooks.example.com/a", "-r2", 120)
PUSH_NOW = Target("apprise", "ntfy://ntfy.example.com/a", "-r3", 0)
PUSH_AGAIN = Target("apprise", "ntfy://ntfy.example.com/a", "-r4", 900)
SMS = Target("apprise", "twilio://x", "-r5", 30)


@pytest.mark.parametrize(
    ("targets", "now", "later"),
    [
        ([], [], []),
        # Without rules everything has delay 0: all at once, in order.
        ([EMAIL, PUSH_NOW], [EMAIL, PUSH_NOW], []),
        # "E-mail at once, Slack after 2 minutes" (UTC: the clock change does not move it).
        ([EMAIL, SLACK], [EMAIL], [(SLACK, dt.datetime(2026, 3, 29, 1, 1, 30, tzinfo=dt.UTC))]),
        # Soonest first, whatever order the rules came in; the same method again later.
        (
            [PUSH_AGAIN, SLACK, PUSH_NOW, SMS],
            [PUSH_NOW],
            [
                (SMS, PAGED + dt.timedelta(seconds=30)),
                (SLACK, PAGED + dt.timedelta(seconds=120)),
                (PUSH_AGAIN, PAGED + dt.timedelta(seconds=900)),
            ],
        ),
        # Only later deliveries: nothing goes with the page itself.
        ([SLACK], [], [(SLACK, PAGED + dt.timedelta(minutes=2))]),
    ],
)
def test_plan(targets, now, later):
    assert plan(targets, PAGED) == (now, later)


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        ([], []),
        # Where the page goes first: at once ...
        ([EMAIL, SLACK], [EMAIL]),
        ([PUSH_NOW, EMAIL, PUSH_AGAIN], [PUSH_NOW, EMAIL]),
        # ... or, when nothing goes at once, the soonest (told at once all the same).
        ([PUSH_AGAIN, SLACK], [SLACK]),
        # A method listed twice at the same moment (the default, or two rules) hears of it once.
        ([PUSH_NOW, PUSH_NOW], [PUSH_NOW]),
    ],
)
def test_for_notice(targets, expected):
    assert for_notice(targets) == expected


@pytest.mark.parametrize(
    ("status", "stopped"),
    [("open", False), ("acknowledged", True), ("in_progress", True), ("resolved", True)],
)
def test_an_acknowledgement_stops_later_deliveries(status, stopped):
    assert stops(status) is stopped
