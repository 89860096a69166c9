"""HTTP resources of the on-call service: who is on call, the upcoming shifts."""

import datetime as dt

from flask.views import MethodView

from oncall_service import schedules
from oncall_service.schemas import (
    CurrentArgsSchema,
    CurrentSchema,
    ShiftsArgsSchema,
    ShiftsSchema,
)
from servicekit import db
from servicekit.blueprint import Blueprint

blp = Blueprint("oncall", __name__, url_prefix="/api/v1", description="Who is on call")


def _now():
    return dt.datetime.now(dt.UTC)


@blp.route("/oncall/current")
class CurrentOnCall(MethodView):
    @blp.arguments(CurrentArgsSchema, location="query")
    @blp.response(200, CurrentSchema)
    def get(self, args):
        """Who is on call for a team now, or at a given time (404 for a team without a schedule)"""
        with db.transaction() as cur:
            return schedules.current(cur, args["team"], args.get("at") or _now())


@blp.route("/oncall/shifts")
class Shifts(MethodView):
    @blp.arguments(ShiftsArgsSchema, location="query")
    @blp.response(200, ShiftsSchema)
    def get(self, args):
        """A team's shifts in a time range (default: the next 4 weeks), split where overrides start or end"""
        with db.transaction() as cur:
            return schedules.upcoming_shifts(cur, args["team"], args.get("since") or _now(), args.get("until"))
