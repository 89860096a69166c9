"""HTTP resources of teams."""

from flask.views import MethodView

from oncall_service.identity import teams, teams_repository
from oncall_service.identity.schemas import TeamCreateSchema, TeamPatchSchema, TeamQueryArgsSchema, TeamSchema
from servicekit import db
from servicekit.blueprint import Blueprint
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint("teams", __name__, url_prefix="/api/v1/teams", description="Teams of users")


@blp.route("")
class Teams(MethodView):
    @blp.arguments(TeamCreateSchema)
    @blp.response(201, TeamSchema)
    def post(self, team):
        """Create a team with its members (409 if the name is taken, 422 naming an unknown user)"""
        with db.transaction() as cur:
            return teams.create_team(cur, team)

    @blp.arguments(TeamQueryArgsSchema, location="query")
    @blp.response(200, page_schema(TeamSchema, "TeamPage"))
    def get(self, args):
        """List teams by name, filtered by name, active flag or member; paginated"""
        with db.transaction() as cur:
            rows, total = teams_repository.list_teams(cur, args, args["page_size"], offset_of(args))
        return page_of(rows, total, args)


@blp.route("/<id:team_id>")
class TeamById(MethodView):
    @blp.response(200, TeamSchema)
    def get(self, team_id):
        """Read a team with its members"""
        with db.transaction() as cur:
            return teams.get_team(cur, parse_uuid(team_id, "team_id"))

    @blp.arguments(TeamPatchSchema)
    @blp.response(200, TeamSchema)
    def patch(self, changes, team_id):
        """Change some fields of a team; `members`, when given, replaces the whole list"""
        with db.transaction() as cur:
            return teams.change_team(cur, parse_uuid(team_id, "team_id"), changes)

    @blp.response(200, TeamSchema)
    def delete(self, team_id):
        """Deactivate a team (the record and its members stay)"""
        with db.transaction() as cur:
            return teams.deactivate_team(cur, parse_uuid(team_id, "team_id"))
