"""HTTP resources of calendar feeds: make and revoke them (signed in), read one by its token (anyone)."""

import datetime as dt

from flask import Response
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema

from oncall_service.calendars import feeds
from oncall_service.calendars.schemas import CalendarFeedCreatedSchema, CalendarFeedListSchema
from oncall_service.identity.users_api import own_or_admin
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import parse_uuid

blp = Blueprint(
    "calendars",
    __name__,
    url_prefix="/api/v1",
    description="Calendar feeds (iCalendar) of schedules and users, for Google Calendar or Outlook",
)

_MAX_TOKEN_LENGTH = 100
FEED_DOC = {
    "200": {
        "description": "text/calendar (RFC 5545): a VEVENT per stretch on call, times in UTC",
        "content": {"text/calendar": {"schema": {"type": "string"}, "example": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"}},
    },
}


def _created_by():
    caller = auth.principal()
    return caller.email or caller.name


@blp.route("/schedules/<id:schedule_id>/calendar-feeds")
class ScheduleFeeds(MethodView):
    @auth.role("responder")
    @blp.response(201, CalendarFeedCreatedSchema)
    def post(self, schedule_id):
        """Make a calendar feed of a schedule's shifts; its token (in the answer's path) is shown once"""
        schedule_id = parse_uuid(schedule_id, "schedule_id")
        with db.transaction() as cur:
            feeds.schedule_feeds(cur, schedule_id)  # 404 for an unknown schedule
            return feeds.create(cur, {"schedule_id": schedule_id}, _created_by())

    @auth.role("viewer")
    @blp.response(200, CalendarFeedListSchema)
    def get(self, schedule_id):
        """A schedule's calendar feeds, newest first (without their tokens)"""
        with db.transaction() as cur:
            return {"items": feeds.schedule_feeds(cur, parse_uuid(schedule_id, "schedule_id"))}


@blp.route("/schedules/<id:schedule_id>/calendar-feeds/<id:feed_id>")
class ScheduleFeedById(MethodView):
    @auth.role("responder")
    @blp.response(204)
    def delete(self, schedule_id, feed_id):
        """Revoke a schedule's calendar feed: its address answers 404 from now on"""
        with db.transaction() as cur:
            feeds.revoke(cur, parse_uuid(feed_id, "feed_id"), schedule_id=parse_uuid(schedule_id, "schedule_id"))


@blp.route("/users/<id:user_id>/calendar-feeds")
class UserFeeds(MethodView):
    @auth.role("viewer")
    @own_or_admin
    @blp.response(201, CalendarFeedCreatedSchema)
    def post(self, user_id):
        """Make a calendar feed of a user's own shifts in every schedule (yours, or admins anyone's)"""
        user_id = parse_uuid(user_id, "user_id")
        with db.transaction() as cur:
            feeds.user_feeds(cur, user_id)  # 404 for an unknown user
            return feeds.create(cur, {"user_id": user_id}, _created_by())

    @auth.role("viewer")
    @blp.response(200, CalendarFeedListSchema)
    def get(self, user_id):
        """A user's calendar feeds, newest first (without their tokens)"""
        with db.transaction() as cur:
            return {"items": feeds.user_feeds(cur, parse_uuid(user_id, "user_id"))}


@blp.route("/users/<id:user_id>/calendar-feeds/<id:feed_id>")
class UserFeedById(MethodView):
    @auth.role("viewer")
    @own_or_admin
    @blp.response(204)
    def delete(self, user_id, feed_id):
        """Revoke a user's calendar feed (yours, or admins anyone's)"""
        with db.transaction() as cur:
            feeds.revoke(cur, parse_uuid(feed_id, "feed_id"), user_id=parse_uuid(user_id, "user_id"))


@blp.route("/oncall/calendars/<token>.ics")
class CalendarFeed(MethodView):
    @auth.public  # the token in the address is the credential, as calendar apps subscribe without signing in
    @blp.doc(responses=FEED_DOC)
    @blp.alt_response(404, schema=ErrorSchema, description="No feed has this token (never made, or revoked)")
    def get(self, token):
        """The calendar of a feed: shifts of the last two weeks and the next six months, overrides applied"""
        if len(token) > _MAX_TOKEN_LENGTH or not token.startswith(feeds.TOKEN_PREFIX):
            token = ""  # answered as any unknown token, without a lookup
        with db.transaction() as cur:
            text = feeds.render(cur, token, dt.datetime.now(dt.UTC))
        headers = {"Cache-Control": "private, max-age=300", "Referrer-Policy": "no-referrer"}
        return Response(text, mimetype="text/calendar", headers={**headers, "Content-Disposition": "inline"})
