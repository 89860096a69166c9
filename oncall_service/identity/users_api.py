"""HTTP resources of users and their contact methods."""

from flask.views import MethodView

from oncall_service.identity import contact_repository, people, repository
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
from servicekit import db
from servicekit.blueprint import Blueprint
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Users and their contact methods")


@blp.route("")
class Users(MethodView):
    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, user):
        """Create a user (409 if the e-mail address is taken)"""
        with db.transaction() as cur:
            return people.create_user(cur, user)

    @blp.arguments(UserQueryArgsSchema, location="query")
    @blp.response(200, page_schema(UserSchema, "UserPage"))
    def get(self, args):
        """List users by name, filtered by role, active flag, team, e-mail or a search text; paginated"""
        with db.transaction() as cur:
            rows, total = repository.list_users(cur, args, args["page_size"], offset_of(args))
        return page_of(rows, total, args)


@blp.route("/<id:user_id>")
class UserById(MethodView):
    @blp.response(200, UserSchema)
    def get(self, user_id):
        """Read a user"""
        with db.transaction() as cur:
            return people.get_user(cur, parse_uuid(user_id, "user_id"))

    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserSchema)
    def patch(self, changes, user_id):
        """Change some fields of a user; `active` deactivates or reactivates"""
        with db.transaction() as cur:
            return people.change_user(cur, parse_uuid(user_id, "user_id"), changes)

    @blp.response(200, UserSchema)
    def delete(self, user_id):
        """Deactivate a user: the record stays (schedules and timelines name it), the user can no longer act"""
        with db.transaction() as cur:
            return people.deactivate_user(cur, parse_uuid(user_id, "user_id"))


@blp.route("/<id:user_id>/contact-methods")
class ContactMethods(MethodView):
    @blp.arguments(ContactMethodCreateSchema)
    @blp.response(201, ContactMethodSchema)
    def post(self, method, user_id):
        """Add a way to reach the user (409 if the user has it already)"""
        with db.transaction() as cur:
            return people.add_contact_method(cur, parse_uuid(user_id, "user_id"), method)

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
    @blp.response(200, ContactMethodSchema)
    def get(self, user_id, method_id):
        """Read one of the user's contact methods"""
        with db.transaction() as cur:
            return people.get_contact_method(cur, parse_uuid(user_id, "user_id"), parse_uuid(method_id, "method_id"))

    @blp.arguments(ContactMethodPatchSchema)
    @blp.response(200, ContactMethodSchema)
    def patch(self, changes, user_id, method_id):
        """Change a contact method"""
        with db.transaction() as cur:
            return people.change_contact_method(
                cur, parse_uuid(user_id, "user_id"), parse_uuid(method_id, "method_id"), changes
            )

    @blp.response(204)
    def delete(self, user_id, method_id):
        """Remove a contact method"""
        with db.transaction() as cur:
            people.delete_contact_method(cur, parse_uuid(user_id, "user_id"), parse_uuid(method_id, "method_id"))
