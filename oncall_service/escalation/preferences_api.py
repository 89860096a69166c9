"""HTTP resource of a user's paging preferences: which updates of incidents they were paged for they hear."""

from flask.views import MethodView

from oncall_service.escalation import preferences
from oncall_service.escalation.schemas import PagingPreferencesSchema
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import parse_uuid

blp = Blueprint(
    "paging-preferences", __name__, url_prefix="/api/v1/users", description="What paged people hear afterwards"
)


@blp.route("/<id:user_id>/paging-preferences")
class PagingPreferences(MethodView):
    @auth.role("viewer")
    @blp.response(200, PagingPreferencesSchema)
    def get(self, user_id):
        """The updates (acknowledged, resolved, reassigned) a user hears of incidents they were paged for"""
        with db.transaction() as cur:
            return preferences.get(cur, parse_uuid(user_id, "user_id"))

    @auth.role("responder")
    @blp.arguments(PagingPreferencesSchema)
    @blp.response(200, PagingPreferencesSchema)
    def put(self, body, user_id):
        """Opt in to updates of incidents the user was paged for (an empty list: none)"""
        with db.transaction() as cur:
            return preferences.put(cur, parse_uuid(user_id, "user_id"), body)
