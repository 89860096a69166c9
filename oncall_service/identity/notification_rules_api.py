"""HTTP resources of a user's notification rules: which contact methods a page uses, after what delay."""

from flask.views import MethodView

from oncall_service.identity import rule_changes
from oncall_service.identity.notification_rule_schemas import (
    NotificationRuleBodySchema,
    NotificationRuleListSchema,
    NotificationRuleSchema,
)
from oncall_service.identity.ownership import own_or_admin
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import parse_uuid

blp = Blueprint(
    "notification-rules",
    __name__,
    url_prefix="/api/v1/users",
    description="Each user's notification rules: e-mail at once, Slack after 2 minutes, ...",
)


@blp.route("/<id:user_id>/notification-rules")
class NotificationRules(MethodView):
    @auth.role("viewer")
    @blp.response(200, NotificationRuleListSchema)
    def get(self, user_id):
        """A user's notification rules, soonest first, and whether the default (all verified methods at once) applies"""
        with db.transaction() as cur:
            return rule_changes.listing(cur, parse_uuid(user_id, "user_id"))

    @auth.role("viewer")
    @own_or_admin
    @blp.arguments(NotificationRuleBodySchema)
    @blp.response(201, NotificationRuleSchema)
    def post(self, rule, user_id):
        """Add a rule: page this contact method so long after the page (yours, or admins anyone's)"""
        user_id = parse_uuid(user_id, "user_id")
        with db.transaction() as cur:
            return rule_changes.add(cur, user_id, rule)


@blp.route("/<id:user_id>/notification-rules/<id:rule_id>")
class NotificationRuleById(MethodView):
    @auth.role("viewer")
    @blp.response(200, NotificationRuleSchema)
    def get(self, user_id, rule_id):
        """Read one of the user's notification rules"""
        with db.transaction() as cur:
            return rule_changes.get(cur, parse_uuid(user_id, "user_id"), parse_uuid(rule_id, "rule_id"))

    @auth.role("viewer")
    @own_or_admin
    @blp.arguments(NotificationRuleBodySchema)
    @blp.response(200, NotificationRuleSchema)
    def put(self, rule, user_id, rule_id):
        """Change a rule's contact method or delay (yours, or admins anyone's)"""
        user_id = parse_uuid(user_id, "user_id")
        with db.transaction() as cur:
            return rule_changes.change(cur, user_id, parse_uuid(rule_id, "rule_id"), rule)

    @auth.role("viewer")
    @own_or_admin
    @blp.response(204)
    def delete(self, user_id, rule_id):
        """Remove a rule (yours, or admins anyone's); without rules, pages reach every verified method at once"""
        user_id = parse_uuid(user_id, "user_id")
        with db.transaction() as cur:
            rule_changes.remove(cur, user_id, parse_uuid(rule_id, "rule_id"))
