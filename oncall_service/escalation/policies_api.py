"""HTTP resources of escalation policies and service routes."""

from flask.views import MethodView

from oncall_service.escalation import policies, repository
from oncall_service.escalation.schemas import (
    PolicyCreateSchema,
    PolicyQueryArgsSchema,
    PolicySchema,
    RouteCreateSchema,
    RouteQueryArgsSchema,
    RouteSchema,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint("policies", __name__, url_prefix="/api/v1", description="Escalation policies and service routes")


@blp.route("/escalation-policies")
class Policies(MethodView):
    @auth.role("admin")
    @blp.arguments(PolicyCreateSchema)
    @blp.response(201, PolicySchema)
    def post(self, policy):
        """Create an escalation policy (a team's first one is its default; 409 if the name is taken)"""
        with db.transaction() as cur:
            return policies.create_policy(cur, policy)

    @auth.role("viewer")
    @blp.arguments(PolicyQueryArgsSchema, location="query")
    @blp.response(200, page_schema(PolicySchema, "PolicyPage"))
    def get(self, args):
        """List escalation policies by team, the default first; paginated"""
        with db.transaction() as cur:
            rows, total = repository.list_policies(cur, args.get("team"), args["page_size"], offset_of(args))
        return page_of(rows, total, args)


@blp.route("/escalation-policies/<id:policy_id>")
class PolicyById(MethodView):
    @auth.role("viewer")
    @blp.response(200, PolicySchema)
    def get(self, policy_id):
        """Read a policy with its steps"""
        with db.transaction() as cur:
            return policies.get_policy(cur, parse_uuid(policy_id, "policy_id"))

    @auth.role("admin")
    @blp.arguments(PolicyCreateSchema)
    @blp.response(200, PolicySchema)
    def put(self, policy, policy_id):
        """Replace a policy's name, steps, repeats, working hours; is_default true makes it the team's default"""
        with db.transaction() as cur:
            return policies.replace_policy(cur, parse_uuid(policy_id, "policy_id"), policy)

    @auth.role("admin")
    @blp.response(204)
    def delete(self, policy_id):
        """Delete a policy (409 for a team's default; routes naming it fall back to the default)"""
        with db.transaction() as cur:
            policies.delete_policy(cur, parse_uuid(policy_id, "policy_id"))


@blp.route("/service-routes")
class Routes(MethodView):
    @auth.role("admin")
    @blp.arguments(RouteCreateSchema)
    @blp.response(201, RouteSchema)
    def post(self, route):
        """Map a service to a team, optionally one of its policies and its own urgencies (409 if it has a route)"""
        with db.transaction() as cur:
            return policies.create_route(cur, route)

    @auth.role("viewer")
    @blp.arguments(RouteQueryArgsSchema, location="query")
    @blp.response(200, page_schema(RouteSchema, "RoutePage"))
    def get(self, args):
        """List service routes by team; paginated"""
        with db.transaction() as cur:
            rows, total = repository.list_routes(cur, args.get("team"), args["page_size"], offset_of(args))
        return page_of(rows, total, args)


@blp.route("/service-routes/<id:route_id>")
class RouteById(MethodView):
    @auth.role("viewer")
    @blp.response(200, RouteSchema)
    def get(self, route_id):
        """Read a service route"""
        with db.transaction() as cur:
            return policies.get_route(cur, parse_uuid(route_id, "route_id"))

    @auth.role("admin")
    @blp.arguments(RouteCreateSchema)
    @blp.response(200, RouteSchema)
    def put(self, route, route_id):
        """Replace a service route"""
        with db.transaction() as cur:
            return policies.replace_route(cur, parse_uuid(route_id, "route_id"), route)

    @auth.role("admin")
    @blp.response(204)
    def delete(self, route_id):
        """Remove a service route (the service's incidents then follow their team's default policy)"""
        with db.transaction() as cur:
            policies.delete_route(cur, parse_uuid(route_id, "route_id"))
