"""When a maintenance window is on, and which alerts it covers: pure rules, no Flask, no database."""

import datetime as dt
import zoneinfo

PERIODS = {"none": None, "daily": dt.timedelta(days=1), "weekly": dt.timedelta(days=7)}


def occurrence(window, now):
    """(start, end) of the occurrence of `window` that holds `now` or comes next; None when none is left.

    A recurring window repeats at the wall-clock times of its first occurrence in its `time_zone` (UTC when it
    has none), so "Sunday 02:00-04:00 Europe/Berlin" stays at 02:00 there across daylight-saving changes.
    """
    start, end, period = window["starts_at"], window["ends_at"], PERIODS[window["recurrence"]]
    if period is not None and now >= end:
        zone = zoneinfo.ZoneInfo(window.get("time_zone") or "UTC")
        # Whole periods since the first occurrence, in UTC: a zone's offset changes it by an hour at most,
        # so the occurrence holding `now` (or the next) is this one or one of its neighbours.
        skipped = (now - start) // period
        for n in (skipped - 1, skipped, skipped + 1, skipped + 2):
            start, end = _repeated(window, zone, n * period)
            if now < end:
                break
    if now >= end:
        return None
    until = window.get("repeat_until")
    if period is not None and until is not None and start >= until:
        return None
    return start, end


def _repeated(window, zone, shift):
    """The first occurrence moved by `shift` on the wall clock of `zone`, back in UTC."""
    return tuple(
        (window[name].astimezone(zone).replace(tzinfo=None) + shift).replace(tzinfo=zone).astimezone(dt.UTC)
        for name in ("starts_at", "ends_at")
    )


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
