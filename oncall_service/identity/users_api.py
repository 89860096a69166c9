"""HTTP resources of users and their contact methods."""

from flask import current_app
from flask.views import MethodView

from oncall_service.identity import contact_repository, people, repository, sessions
from oncall_service.identity.ownership import own_or_admin
from oncall_service.identity.schemas import (
    ContactMethodCreateSchema,
    ContactMethodPatchSchema,
    ContactMethodQueryArgsSchema,
    ContactMethodSchema,
    UserCreateSchema,
    UserPatchSchema,
    UserQueryArgsSchema,
    UserSchema,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Users and their contact methods")


def _check_password(data):
    if "password" in data:
        sessions.check_password_rules(data["password"], sessions.Settings.of(current_app.config))


@blp.route("")
class Users(MethodView):
    @auth.role("admin")
    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, user):
        """Create a user (409 if the e-mail address is taken)"""
        _check_password(user)
        with db.transaction() as cur:
            return people.create_user(cur, user)

    @auth.role("viewer")
    @blp.arguments(UserQueryArgsSchema, location="query")
    @blp.response(200, page_schema(UserSchema, "UserPage"))
    def get(self, args):
        """List users by name, filtered by role, active flag, team, e-mail or a search text; paginated"""
        with db.transaction() as cur:
            rows, total = repository.list_users(cur, args, args["page_size"], offset_of(args))
        return page_of(rows, total, args)


@blp.route("/<id:user_id>")
class UserById(MethodView):
    @auth.role("viewer")
    @blp.response(200, UserSchema)
    def get(self, user_id):
        """Read a user"""
        with db.transaction() as cur:
            return people.get_user(cur, parse_uuid(user_id, "user_id"))

    @auth.role("viewer")
    @own_or_admin
    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserSchema)
    def patch(self, changes, user_id):
        """Change some fields of a user (yourself: name and time zone; admins: all, `active: false` deactivates)"""
        user_id = parse_uuid(user_id, "user_id")
        people.check_self_service(auth.principal(), changes)
        _check_password(changes)
        with db.transaction() as cur:
            return people.change_user(cur, user_id, changes)

    @auth.role("admin")
    @blp.response(200, UserSchema)
    def delete(self, user_id):
        """Deactivate a user: the record stays (schedules and timelines name it), the user can no longer act"""
        with db.transaction() as cur:
            return people.deactivate_user(cur, parse_uuid(user_id, "user_id"))


@blp.route("/<id:user_id>/contact-methods")
class ContactMethods(MethodView):
    @auth.role("viewer")
    @own_or_admin
    @blp.arguments(ContactMethodCreateSchema)
    @blp.response(201, ContactMethodSchema)
    def post(self, method, user_id):
        """Add a way to reach the user (409 if the user has it already); yourself, or admins anyone"""
        user_id = parse_uuid(user_id, "user_id")
        with db.transaction() as cur:
            return people.add_contact_method(cur, user_id, method)

    @auth.role("viewer")
    @blp.arguments(ContactMethodQueryArgsSchema, location="query")
    @blp.response(200, page_schema(ContactMethodSchema, "ContactMethodPage"))
    def get(self, args, user_id):
        """List the user's contact methods, oldest first; paginated"""
        with db.transaction() as cur:
            user = people.get_user(cur, parse_uuid(user_id, "user_id"))
            rows, total = contact_repository.list_contact_methods(
                cur, user["id"], args.get("type"), args["page_size"], offset_of(args)
            )
        return page_of(rows, total, args)


@blp.route("/<id:user_id>/contact-methods/<id:method_id>")
class ContactMethodById(MethodView):
    @auth.role("viewer")
    @blp.response(200, ContactMethodSchema)
    def get(self, user_id, method_id):
        """Read one of the user's contact methods"""
        with db.transaction() as cur:
            return people.get_contact_method(cur, parse_uuid(user_id, "user_id"), parse_uuid(method_id, "method_id"))

    @auth.role("viewer")
    @own_or_admin
    @blp.arguments(ContactMethodPatchSchema)
    @blp.response(200, ContactMethodSchema)
    def patch(self, changes, user_id, method_id):
        """Change a contact method (yours, or admins anyone's)"""
        user_id = parse_uuid(user_id, "user_id")
        with db.transaction() as cur:
            return people.change_contact_method(cur, user_id, parse_uuid(method_id, "method_id"), changes)

    @auth.role("viewer")
    @own_or_admin
    @blp.response(204)
    def delete(self, user_id, method_id):
        """Remove a contact method (yours, or admins anyone's)"""
        user_id = parse_uuid(user_id, "user_id")
        with db.transaction() as cur:
            people.delete_contact_method(cur, user_id, parse_uuid(method_id, "method_id"))
