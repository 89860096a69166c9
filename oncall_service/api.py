"""HTTP resources of the on-call service: schedules and their overrides."""

import datetime as dt

from flask import current_app
from flask.views import MethodView

from oncall_service import repository, schedules
from oncall_service.schemas import (
    OverrideCreateSchema,
    OverrideQueryArgsSchema,
    OverrideSchema,
    ScheduleCreateSchema,
    SchedulePatchSchema,
    ScheduleQueryArgsSchema,
    ScheduleSchema,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint("schedules", __name__, url_prefix="/api/v1/schedules", description="On-call schedules and overrides")


def _now():
    return dt.datetime.now(dt.UTC)


def _with_defaults(schedule):
    schedule.setdefault("escalation_timeout_seconds", current_app.config["DEFAULT_ESCALATION_TIMEOUT_SECONDS"])
    return schedule


@blp.route("")
class Schedules(MethodView):
    @auth.role("admin")
    @blp.arguments(ScheduleCreateSchema)
    @blp.response(201, ScheduleSchema)
    def post(self, schedule):
        """Create a team's rotation (409 if the team already has one)"""
        with db.transaction() as cur:
            return schedules.create_schedule(cur, _with_defaults(schedule))

    @auth.role("viewer")
    @blp.arguments(ScheduleQueryArgsSchema, location="query")
    @blp.response(200, page_schema(ScheduleSchema, "SchedulePage"))
    def get(self, args):
        """List schedules by team name; paginated"""
        with db.transaction() as cur:
            rows, total = repository.list_schedules(cur, args.get("team"), args["page_size"], offset_of(args))
        return page_of(rows, total, args)


@blp.route("/<id:schedule_id>")
class ScheduleById(MethodView):
    @auth.role("viewer")
    @blp.response(200, ScheduleSchema)
    def get(self, schedule_id):
        """Read a schedule with its members in rotation order"""
        with db.transaction() as cur:
            return schedules.get_schedule(cur, parse_uuid(schedule_id, "schedule_id"))

    @auth.role("admin")
    @blp.arguments(ScheduleCreateSchema)
    @blp.response(200, ScheduleSchema)
    def put(self, schedule, schedule_id):
        """Replace a schedule (every field; omitted optional ones take their defaults)"""
        with db.transaction() as cur:
            return schedules.replace_schedule(cur, parse_uuid(schedule_id, "schedule_id"), _with_defaults(schedule))

    @auth.role("admin")
    @blp.arguments(SchedulePatchSchema)
    @blp.response(200, ScheduleSchema)
    def patch(self, changes, schedule_id):
        """Change some fields of a schedule; members, when given, replace the whole list"""
        with db.transaction() as cur:
            return schedules.patch_schedule(cur, parse_uuid(schedule_id, "schedule_id"), changes)

    @auth.role("admin")
    @blp.response(204)
    def delete(self, schedule_id):
        """Delete a schedule with its overrides"""
        with db.transaction() as cur:
            schedules.delete_schedule(cur, parse_uuid(schedule_id, "schedule_id"))


@blp.route("/<id:schedule_id>/overrides")
class Overrides(MethodView):
    @auth.role("responder")
    @blp.arguments(OverrideCreateSchema)
    @blp.response(201, OverrideSchema)
    def post(self, override, schedule_id):
        """Let someone cover a role for a time range (the newest override wins where several overlap)"""
        with db.transaction() as cur:
            return schedules.add_override(cur, parse_uuid(schedule_id, "schedule_id"), override, _now())

    @auth.role("viewer")
    @blp.arguments(OverrideQueryArgsSchema, location="query")
    @blp.response(200, page_schema(OverrideSchema, "OverridePage"))
    def get(self, args, schedule_id):
        """List a schedule's overrides, earliest first; paginated"""
        with db.transaction() as cur:
            schedule = schedules.get_schedule(cur, parse_uuid(schedule_id, "schedule_id"))
            rows, total = repository.list_overrides(
                cur, schedule["id"], args.get("ending_after"), args["page_size"], offset_of(args)
            )
        return page_of(rows, total, args)


@blp.route("/<id:schedule_id>/overrides/<id:override_id>")
class OverrideById(MethodView):
    @auth.role("responder")
    @blp.response(204)
    def delete(self, schedule_id, override_id):
        """Remove an override"""
        with db.transaction() as cur:
            schedules.delete_override(
                cur, parse_uuid(schedule_id, "schedule_id"), parse_uuid(override_id, "override_id")
            )
