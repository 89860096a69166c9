"""When a maintenance window is on, and which alerts it covers: pure rules, no Flask, no database."""

import datetime as dt

PERIODS = {"none": None, "daily": dt.timedelta(days=1), "weekly": dt.timedelta(days=7)}


def occurrence(window, now):
    """(start, end) of the occurrence of `window` that holds `now` or comes next; None when none is left."""
    start, end, period = window["starts_at"], window["ends_at"], PERIODS[window["recurrence"]]
    if period is not None and now >= end:
        skipped = (now - start) // period  # whole periods since the first occurrence
        start, end = start + skipped * period, end + skipped * period
        if now >= end:
            start, end = start + period, end + period
    if now >= end:
        return None
    until = window.get("repeat_until")
    if period is not None and until is not None and start >= until:
        return None
    return start, end


def is_on(window, now):
    found = occurrence(window, now)
    return found is not None and found[0] <= now


def covers(window, service, team):
    """Whether the window is for this alert's service and team (a window naming both needs both)."""
    return (window["service"] is None or window["service"] == service) and (
        window["team"] is None or window["team"] == team
    )


def suppressing(windows, service, team, now):
    """The first window that is on now and covers the alert, or None."""
    return next((w for w in windows if covers(w, service, team) and is_on(w, now)), None)
