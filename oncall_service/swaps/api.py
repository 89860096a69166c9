"""HTTP resources of shift swaps: offer a stretch of your shift, take someone's, withdraw an offer."""

import datetime as dt

from flask.views import MethodView

from oncall_service.swaps import repository, swaps
from oncall_service.swaps.schemas import SwapOfferSchema, SwapQueryArgsSchema, SwapSchema, SwapTakeSchema
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint("swaps", __name__, url_prefix="/api/v1/schedules", description="Shift swaps: offered, taken, withdrawn")


def _now():
    return dt.datetime.now(dt.UTC)


@blp.route("/<id:schedule_id>/swaps")
class Swaps(MethodView):
    @auth.role("responder")
    @blp.arguments(SwapOfferSchema)
    @blp.response(201, SwapSchema)
    def post(self, body, schedule_id):
        """Offer a stretch of a shift (yours, or the named person's) for someone else to take"""
        with db.transaction() as cur:
            return swaps.offer(cur, parse_uuid(schedule_id, "schedule_id"), body, auth.principal(), _now())

    @auth.role("viewer")
    @blp.arguments(SwapQueryArgsSchema, location="query")
    @blp.response(200, page_schema(SwapSchema, "SwapPage"))
    def get(self, args, schedule_id):
        """A schedule's swaps, soonest first, by status; paginated"""
        schedule_id = parse_uuid(schedule_id, "schedule_id")
        with db.transaction() as cur:
            swaps.get_schedule(cur, schedule_id)
            rows, total = repository.list_swaps(cur, schedule_id, args, args["page_size"], offset_of(args))
        return page_of(rows, total, args)


@blp.route("/<id:schedule_id>/swaps/<id:swap_id>")
class SwapById(MethodView):
    @auth.role("viewer")
    @blp.response(200, SwapSchema)
    def get(self, schedule_id, swap_id):
        """Read one swap"""
        with db.transaction() as cur:
            return swaps.get(cur, parse_uuid(schedule_id, "schedule_id"), parse_uuid(swap_id, "swap_id"))

    @auth.role("responder")
    @blp.response(200, SwapSchema)
    def delete(self, schedule_id, swap_id):
        """Withdraw an open offer (409 once someone took it: delete its override instead)"""
        with db.transaction() as cur:
            return swaps.withdraw(cur, parse_uuid(schedule_id, "schedule_id"), parse_uuid(swap_id, "swap_id"))


@blp.route("/<id:schedule_id>/swaps/<id:swap_id>/take")
class TakeSwap(MethodView):
    @auth.role("responder")
    @blp.arguments(SwapTakeSchema)
    @blp.response(200, SwapSchema)
    def post(self, body, schedule_id, swap_id):
        """Take an offered shift (you, or the named person): it becomes an override of that role"""
        schedule_id, swap_id = parse_uuid(schedule_id, "schedule_id"), parse_uuid(swap_id, "swap_id")
        with db.transaction() as cur:
            return swaps.take(cur, schedule_id, swap_id, body, auth.principal(), _now())
