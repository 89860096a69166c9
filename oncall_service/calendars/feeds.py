"""Calendar feeds: made (the token shown once), listed, revoked, and rendered for whoever holds the token.

Each function runs inside the caller's transaction (it takes the cursor).
"""

import datetime as dt
import secrets

from oncall_service import repository as schedules
from oncall_service import rotation
from oncall_service.calendars import events, ical
from oncall_service.calendars import repository as feeds
from oncall_service.identity import credentials, people
from servicekit.errors import NotFound

TOKEN_PREFIX = "ical_"  # noqa: S105 (not a secret: it tells feed tokens apart)
PATH = "/api/v1/oncall/calendars/{token}.ics"
# What a feed covers: recent shifts (a calendar keeps showing the past week) and the next half year.
PAST = dt.timedelta(days=14)
AHEAD = dt.timedelta(days=183)


def _made(row, token):
    return {**row, "token": token, "path": PATH.format(token=token)}


def create(cur, owner, created_by):
    """A new feed of {schedule_id} or {user_id}; the answer carries its token and path, once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = feeds.insert_feed(
        cur, {**owner, "token_hash": credentials.digest(token), "prefix": token[:11], "created_by": created_by}
    )
    return _made(row, token)


def schedule_feeds(cur, schedule_id):
    if schedules.get_schedule(cur, schedule_id) is None:
        raise NotFound(f"schedule {schedule_id} not found")
    return feeds.list_feeds(cur, schedule_id=schedule_id)


def user_feeds(cur, user_id):
    people.get_user(cur, user_id)
    return feeds.list_feeds(cur, user_id=user_id)


def revoke(cur, feed_id, **owner):
    revoked = feeds.revoke_feed(cur, feed_id, **owner)
    if revoked is None:
        raise NotFound(f"calendar feed {feed_id} not found")
    return revoked


def render(cur, token, now):
    """The feed's calendar text; NotFound for a token that is unknown or revoked (the same answer for both)."""
    feed = feeds.feed_by_digest(cur, credentials.digest(token))
    if feed is None:
        raise NotFound("no calendar feed has this address (it may have been revoked)")
    since, until = now - PAST, now + AHEAD
    if feed["schedule_id"] is not None:
        schedule = schedules.get_schedule(cur, feed["schedule_id"])
        found = events.schedule_events(schedule, _shifts(cur, schedule, since, until))
        return ical.calendar(f"On call: {schedule['team']}", found, now)
    user = people.get_user(cur, feed["user_id"])
    found = []
    for schedule in schedules.all_schedules(cur):
        found += events.schedule_events(schedule, _shifts(cur, schedule, since, until), email=user["email"])
    found.sort(key=lambda event: (event.start, event.uid))
    return ical.calendar(f"On call: {user['name']}", found, now)


def _shifts(cur, schedule, since, until):
    overrides = schedules.overrides_overlapping(cur, [schedule["id"]], since, until)
    return rotation.shifts(rotation.rotation_of(schedule), overrides, since, until)
