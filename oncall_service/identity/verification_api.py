"""HTTP resources to test a contact method and to verify one by a code sent to it."""

import typing

import marshmallow as ma
from flask import current_app
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema

from oncall_service.identity import paging_targets, verification
from oncall_service.identity.ownership import own_or_admin
from oncall_service.identity.schemas import ContactMethodSchema
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import NotFound
from servicekit.params import parse_uuid

blp = Blueprint(
    "contact_checks",
    __name__,
    url_prefix="/api/v1/users",
    description="Test a contact method; verify a new push/SMS/chat one by a code before it is paged",
)


class DeliverySchema(ma.Schema):
    notification_id = ma.fields.UUID(allow_none=True)
    delivery = ma.fields.String(metadata={"description": "sent, pending (retried) or failed"})
    last_error = ma.fields.String(allow_none=True)


class CodeSentSchema(ma.Schema):
    expires_at = ma.fields.DateTime()
    notification_id = ma.fields.UUID(allow_none=True)
    delivery = ma.fields.String()


class CodeSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"code": "042137"}

    code = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[0-9]{6}$", error="Six digits."))


class PagingTargetsArgsSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=320))


class PagingMethodSchema(ma.Schema):
    id = ma.fields.UUID()
    type = ma.fields.String()
    address = ma.fields.String(metadata={"description": "The real address (a credential for Apprise URLs)"})
    label = ma.fields.String(allow_none=True)
    delay_seconds = ma.fields.Integer(metadata={"description": "How long after the page (the user's rule; 0: at once)"})
    rule_id = ma.fields.UUID(allow_none=True, metadata={"description": "The notification rule; none: the default"})


class PagingTargetsSchema(ma.Schema):
    user_id = ma.fields.UUID()
    name = ma.fields.String()
    email = ma.fields.String()
    methods = ma.fields.List(ma.fields.Nested(PagingMethodSchema), metadata={"description": "Soonest first"})


internal = Blueprint(
    "paging_targets", __name__, url_prefix="/internal/v1", description="For incident management's paging only"
)


@internal.route("/paging-targets")
class PagingTargets(MethodView):
    @auth.internal
    @internal.arguments(PagingTargetsArgsSchema, location="query")
    @internal.response(200, PagingTargetsSchema)
    @internal.alt_response(404, schema=ErrorSchema, description="No active user has this e-mail")
    def get(self, args):
        """The deliveries a page to this person makes: verified methods and delays, real addresses (service use)"""
        with db.transaction() as cur:
            targets = paging_targets.for_email(cur, args["email"])
        if targets is None:
            raise NotFound(f"no active user with e-mail {args['email']}")
        return targets


def _ids(user_id, method_id):
    return parse_uuid(user_id, "user_id"), parse_uuid(method_id, "method_id")


@blp.route("/<id:user_id>/contact-methods/<id:method_id>/test")
class ContactMethodTest(MethodView):
    @auth.role("viewer")
    @own_or_admin
    @blp.response(200, DeliverySchema)
    @blp.alt_response(503, schema=ErrorSchema, description="The notification service is unreachable")
    def post(self, user_id, method_id):
        """Send a test message to the contact method now and say how its delivery went"""
        with db.transaction() as cur:
            notification = verification.test(cur, current_app, *_ids(user_id, method_id))
        return {
            "notification_id": notification.get("id"),
            "delivery": notification.get("status"),
            "last_error": notification.get("last_error"),
        }


@blp.route("/<id:user_id>/contact-methods/<id:method_id>/verification")
class ContactMethodVerification(MethodView):
    @auth.role("viewer")
    @own_or_admin
    @blp.response(202, CodeSentSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="The method is verified already (or needs no code)")
    def post(self, user_id, method_id):
        """Send a six-digit verification code to an unverified contact method"""
        with db.transaction() as cur:
            return verification.send_code(cur, current_app, *_ids(user_id, method_id))


@blp.route("/<id:user_id>/contact-methods/<id:method_id>/verification/confirm")
class ContactMethodVerificationConfirm(MethodView):
    @auth.role("viewer")
    @own_or_admin
    @blp.arguments(CodeSchema)
    @blp.response(200, ContactMethodSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="No code was sent, or too many wrong codes")
    @blp.alt_response(410, schema=ErrorSchema, description="The code has expired")
    def post(self, body, user_id, method_id):
        """Type back the code: the contact method is verified and paging may use it"""
        with db.transaction() as cur:
            method = verification.confirm(cur, current_app, *_ids(user_id, method_id), body["code"])
        if method is None:  # the wrong try is counted (committed) first
            raise verification.wrong_code()
        return method
