"""Escalation policy timing as pure rules: which step comes next and when, urgency, working hours.

A policy is a list of steps, each with `delay_seconds` (how long the step waits
for an acknowledgement before the next one) and targets; the whole list runs
`repeat + 1` times. A position is (step, round): step 0 of round 0 pages at once.
No Flask, no database: times are aware datetimes, put in as arguments.
"""

import dataclasses
import datetime as dt
import zoneinfo

URGENCIES = ("high", "low")
# Critical and high page now and escalate; medium and low notify without escalating.
DEFAULT_URGENCY = {"critical": "high", "high": "high", "medium": "low", "low": "low"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def next_position(step_count, repeat, step, round_):
    """The position after (step, round), or None when the policy is exhausted."""
    if step_count <= 0:
        return None
    if step + 1 < step_count:
        return step + 1, round_
    if round_ < repeat:
        return 0, round_ + 1
    return None


def is_last(step_count, repeat, step, round_):
    """Whether (step, round) is the policy's last position: escalating from it is refused."""
    return next_position(step_count, repeat, step, round_) is None


def next_reachable(steps, repeat, position, include_current=False):
    """(the first position from `position` on whose step reaches someone, [positions passed over]).

    `steps` are chain steps ({people, ...}); a step that reaches nobody passes on at once.
    The reached position is None when the policy runs out first, or when a whole round
    reaches nobody (then every later round would too).
    """
    skipped = []
    current = position if include_current else next_position(len(steps), repeat, *position)
    while current is not None and len(skipped) < len(steps):
        if steps[current[0]]["people"]:
            return current, skipped
        skipped.append(current)
        current = next_position(len(steps), repeat, *current)
    return None, skipped


def next_due(steps, repeat, position, paged_at, urgency):
    """When the step at `position`, paged at `paged_at`, passes on; None when nothing follows.

    Low urgency never escalates; the last position has nothing after it.
    """
    if not escalates(urgency) or is_last(len(steps), repeat, *position):
        return None
    return due_after(steps, position[0], paged_at)


def due_after(steps, step, paged_at):
    """When the step paged at `paged_at` passes to the next one if nobody acknowledges."""
    return paged_at + dt.timedelta(seconds=steps[step]["delay_seconds"])


def urgency_of(severity, override=None):
    """A severity's urgency: the service's own mapping where it has one, else the default."""
    return (override or {}).get(severity) or DEFAULT_URGENCY[severity]


def escalates(urgency):
    """Only high urgency walks the policy; low urgency notifies the first step and stops there."""
    return urgency == "high"


@dataclasses.dataclass(frozen=True)
class WorkingHours:
    """Wall-clock hours [start, end) on some weekdays, in an IANA zone (so they follow DST)."""

    timezone: str = "UTC"
    days: tuple = WEEKDAYS[:5]
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 0)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.timezone)


def working_hours_of(spec):
    """WorkingHours from stored JSON ({timezone, days, start "HH:MM", end "HH:MM"}); None when not set."""
    if not spec:
        return None
    return WorkingHours(
        timezone=spec.get("timezone", "UTC"),
        days=tuple(spec.get("days") or WEEKDAYS[:5]),
        start=dt.time.fromisoformat(spec.get("start", "09:00")),
        end=dt.time.fromisoformat(spec.get("end", "17:00")),
    )


def within(hours, moment):
    """Whether `moment` falls in the working hours (always, when there are none)."""
    if hours is None:
        return True
    local = moment.astimezone(hours.zone)
    return WEEKDAYS[local.weekday()] in hours.days and hours.start <= local.time() < hours.end


def next_opening(hours, moment):
    """The first moment at or after `moment` within the working hours (UTC); `moment` itself when inside."""
    if within(hours, moment):
        return moment.astimezone(dt.UTC)
    local = moment.astimezone(hours.zone)
    for offset in range(8):
        day = local.date() + dt.timedelta(days=offset)
        if WEEKDAYS[day.weekday()] not in hours.days:
            continue
        opening = dt.datetime.combine(day, hours.start, tzinfo=hours.zone)
        if opening >= local:
            return opening.astimezone(dt.UTC)
    return None  # no working day at all


def low_urgency_notify_at(hours, moment):
    """When a low-urgency incident is notified: at once, or when the team's working hours open."""
    return next_opening(hours, moment) if hours is not None else moment.astimezone(dt.UTC)
