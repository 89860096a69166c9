"""`/api/v1/grouping-rules`: a grouping rule per service (everyone reads, admins write)."""

from flask import current_app
from flask.views import MethodView

from incident_management.grouping import cache, repository
from incident_management.grouping.schemas import GroupingRulePutSchema, GroupingRuleSchema
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import Invalid, NotFound

MAX_SERVICE = 200
SERVICE = {
    "in": "path",
    "name": "service",
    "required": True,
    "schema": {"type": "string", "maxLength": MAX_SERVICE},
    "description": "The service the rule is for, as alerts name it",
    "example": "payments",
}
EXAMPLE = {
    "service": "payments",
    "group_by": ["labels.alertname"],
    "threshold": 1,
    "updated_by": "admin@example.com",
    "created_at": "2026-12-03T09:00:00Z",
    "updated_at": "2026-12-03T09:00:00Z",
}

blp = Blueprint(
    "grouping_rules",
    __name__,
    url_prefix="/api/v1/grouping-rules",
    description="Opt-in grouping per service: which alerts of a service share an incident, and after how many",
)


@blp.route("")
class GroupingRules(MethodView):
    @auth.role("viewer")
    @blp.response(200, GroupingRuleSchema(many=True), example=[EXAMPLE])
    def get(self):
        """Every service's grouping rule (services without one group by service and severity)"""
        with db.transaction() as cur:
            return repository.list_rules(cur)


@blp.route("/<service>", parameters=[SERVICE])
class GroupingRuleByService(MethodView):
    @auth.role("viewer")
    @blp.response(200, GroupingRuleSchema)
    def get(self, service):
        """One service's grouping rule"""
        with db.transaction() as cur:
            rule = repository.get_rule(cur, service)
        if rule is None:
            raise NotFound(f"service {service!r} has no grouping rule")
        return rule

    @auth.role("admin")
    @blp.arguments(GroupingRulePutSchema)
    @blp.response(200, GroupingRuleSchema)
    def put(self, data, service):
        """Set a service's grouping rule: its new alerts group by these fields (open incidents keep theirs)"""
        if len(service) > MAX_SERVICE:
            raise Invalid(f"a service name has at most {MAX_SERVICE} characters", errors={"service": ["Too long."]})
        with db.transaction() as cur:
            rule = repository.put_rule(cur, service, data["group_by"], data["threshold"], auth.actor("api") or "api")
        cache.of(current_app).forget()
        return rule

    @auth.role("admin")
    @blp.response(204)
    def delete(self, service):
        """Remove a service's grouping rule: its alerts group by service and severity again"""
        with db.transaction() as cur:
            if not repository.delete_rule(cur, service):
                raise NotFound(f"service {service!r} has no grouping rule")
        cache.of(current_app).forget()
