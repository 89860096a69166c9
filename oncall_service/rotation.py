"""Rotation arithmetic as pure functions: who is on call at a time, shift boundaries, upcoming shifts.

Shifts hand over every day or week at `handoff_time` in the rotation's IANA time
zone, so a handoff stays at the same wall-clock time across daylight-saving
changes (a shift is then 23 or 25 hours, or a week one hour shorter or longer).

Who holds a shift:
- without `rotation_start`, SPEC's rule: weekly `members[iso_week % n]`, where
  iso_week is the ISO week of the shift's Monday; daily `members[ordinal_day % n]`;
  (ISO years with 53 weeks give a member two weeks in a row at the year change:
  53 % 2 == 1 % 2. That is the rule as published; set a rotation start to avoid it);
- with `rotation_start` (a date in the zone), members take turns from that date:
  the k-th shift since the start goes to `members[k % n]`, whatever the calendar.

Overrides ({role, name, email, start, end, created_at}) replace the rotation's
member of their role for [start, end); where several overlap, the newest wins.
Times are aware datetimes; results are in UTC.
"""

import dataclasses
import datetime as dt
import zoneinfo

from servicekit import enums

ROLES = enums.MEMBER_ROLES
ROTATION_TYPES = enums.ROTATION_TYPES
PERIOD_DAYS = {"weekly": 7, "daily": 1}
# Without a rotation start, shifts are laid on a grid that starts on a Monday (weekly shifts start on Mondays).
GRID_ANCHOR = dt.date(2001, 1, 1)
_UTC = dt.UTC


@dataclasses.dataclass(frozen=True)
class Rotation:
    rotation_type: str
    primaries: tuple
    secondaries: tuple = ()
    timezone: str = "UTC"
    handoff_time: dt.time = dt.time(0, 0)
    rotation_start: dt.date | None = None

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def period_days(self):
        return PERIOD_DAYS[self.rotation_type]

    @property
    def anchor(self):
        return self.rotation_start or GRID_ANCHOR


def rotation_of(schedule):
    """A Rotation from a schedule as stored: members are {name, email, role} in rotation order."""

    def people(role):
        return tuple(_person(m) for m in schedule["members"] if m["role"] == role)

    return Rotation(
        rotation_type=schedule["rotation_type"],
        primaries=people("primary"),
        secondaries=people("secondary"),
        timezone=schedule.get("timezone") or "UTC",
        handoff_time=schedule.get("handoff_time") or dt.time(0, 0),
        rotation_start=schedule.get("rotation_start"),
    )


def _person(member):
    return {"name": member["name"], "email": member["email"]}


def shift_start(rotation, index):
    """When shift `index` (0 = the one starting on the anchor date) starts, in UTC.

    A handoff time that does not exist that day (skipped by a DST change) is read
    with the offset before the change, i.e. it happens one hour later on the clock.
    """
    day = rotation.anchor + dt.timedelta(days=index * rotation.period_days)
    return dt.datetime.combine(day, rotation.handoff_time, tzinfo=rotation.zone).astimezone(_UTC)


def shift_index(rotation, at):
    """The index of the shift that contains `at`."""
    local_day = at.astimezone(rotation.zone).date()
    index = (local_day - rotation.anchor).days // rotation.period_days
    while at < shift_start(rotation, index):
        index -= 1
    while at >= shift_start(rotation, index + 1):
        index += 1
    return index


def _member_position(rotation, index, count):
    if rotation.rotation_start is not None:
        return index % count
    first_day = rotation.anchor + dt.timedelta(days=index * rotation.period_days)
    if rotation.rotation_type == "weekly":
        return first_day.isocalendar().week % count
    return first_day.toordinal() % count


def members_of_shift(rotation, index):
    """(primary, secondary or None) of shift `index`, from the rotation alone."""

    def pick(people):
        return people[_member_position(rotation, index, len(people))] if people else None

    return pick(rotation.primaries), pick(rotation.secondaries)


def override_at(overrides, role, at):
    """The override of `role` in force at `at` (the newest of overlapping ones), or None."""
    covering = [o for o in overrides if o["role"] == role and o["start"] <= at < o["end"]]
    return max(covering, key=lambda o: o["created_at"], default=None)


def _on_call_at(rotation, overrides, index, at):
    primary, secondary = members_of_shift(rotation, index)
    chosen = {"primary": primary, "secondary": secondary}
    overridden = False
    for role in ROLES:
        override = override_at(overrides, role, at)
        if override is not None:
            chosen[role] = _person(override)
            overridden = True
    return chosen["primary"], chosen["secondary"], overridden


def on_call(rotation, overrides, at):
    """Who is on call at `at`: {primary, secondary, shift_start, shift_end, override}.

    shift_start and shift_end bound the stretch in which these people hold it:
    the rotation's shift, cut by the edges of overrides that fall inside it.
    """
    index = shift_index(rotation, at)
    start, end = shift_start(rotation, index), shift_start(rotation, index + 1)
    for override in overrides:
        for edge in (override["start"], override["end"]):
            if start < edge <= at:
                start = edge
            elif at < edge < end:
                end = edge
    primary, secondary, overridden = _on_call_at(rotation, overrides, index, at)
    return {"primary": primary, "secondary": secondary, "shift_start": start, "shift_end": end, "override": overridden}


def shifts(rotation, overrides, since, until, limit=1000):
    """The shifts that overlap [since, until), split where an override starts or ends; at most `limit`."""
    if until <= since:
        return []
    edges = {since}
    index = shift_index(rotation, since)
    handoff = shift_start(rotation, index + 1)
    while handoff < until and len(edges) <= limit:
        edges.add(handoff)
        index += 1
        handoff = shift_start(rotation, index + 1)
    edges.update(e for o in overrides for e in (o["start"], o["end"]) if since < e < until)
    points = sorted(edges)
    result = []
    for start, end in zip(points, [*points[1:], until], strict=True):
        primary, secondary, overridden = _on_call_at(rotation, overrides, shift_index(rotation, start), start)
        result.append({"start": start, "end": end, "primary": primary, "secondary": secondary, "override": overridden})
        if len(result) == limit:
            break
    return result
