"""Calendar events from a schedule's shifts (overrides applied already). Pure: no Flask, no SQL.

A shift is split where an override starts or ends, so one person's time in a role can come as several
segments in a row: they become one event. A user's feed keeps the events that are theirs.
"""

from oncall_service.calendars.ical import Event, utc
from oncall_service.rotation import ROLES


def _same(a, b):
    return a is not None and b is not None and a["email"].lower() == b["email"].lower()


def stretches(shifts, role):
    """[(person, start, end)] of one role: consecutive segments of the same person joined; nobody left out."""
    joined = []
    for shift in shifts:
        person = shift[role]
        if person is None:
            continue
        if joined and _same(joined[-1][0], person) and joined[-1][2] == shift["start"]:
            joined[-1] = (joined[-1][0], joined[-1][1], shift["end"])
        else:
            joined.append((person, shift["start"], shift["end"]))
    return joined


def schedule_events(schedule, shifts, email=None):
    """Events of a schedule's shifts, soonest first; only `email`'s when given (a user's feed)."""
    events = []
    for role in ROLES:
        for person, start, end in stretches(shifts, role):
            if email is not None and person["email"].lower() != email.lower():
                continue
            mine = email is not None
            summary = f"On call ({role}) for {schedule['team']}" if mine else f"{person['name']} on call ({role})"
            description = f"{person['name']} <{person['email']}> is the {role} on call for team {schedule['team']}."
            uid = f"{schedule['id']}-{role}-{utc(start)}@oncall"
            events.append(Event(uid, start, end, summary, description))
    return sorted(events, key=lambda event: (event.start, event.uid))
