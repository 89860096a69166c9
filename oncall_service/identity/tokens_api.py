"""HTTP resources of API tokens, and the internal endpoint other services check credentials with."""

import datetime as dt

from flask import current_app
from flask.views import MethodView

from oncall_service.identity import access_repository, sessions, tokens
from oncall_service.identity.access_schemas import (
    TokenCreatedSchema,
    TokenCreateSchema,
    TokenQueryArgsSchema,
    TokenSchema,
    VerifiedSchema,
    VerifySchema,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import Unauthorized
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint("tokens", __name__, url_prefix="/api/v1/tokens", description="API tokens for scripts")
internal_blp = Blueprint(
    "auth-internal", __name__, url_prefix="/internal/v1/auth", description="Credential checks by the other services"
)


@blp.route("")
class Tokens(MethodView):
    @auth.role("viewer")
    @blp.arguments(TokenCreateSchema)
    @blp.response(201, TokenCreatedSchema)
    def post(self, request):
        """Make an API token: its value is in this answer only (send it as Authorization: Bearer <token>)"""
        with db.transaction() as cur:
            return tokens.create_token(cur, auth.principal(), request, dt.datetime.now(dt.UTC))

    @auth.role("viewer")
    @blp.arguments(TokenQueryArgsSchema, location="query")
    @blp.response(200, page_schema(TokenSchema, "TokenPage"))
    def get(self, args):
        """List your tokens (admins: anyone's), newest first; never their values; paginated"""
        user_id = tokens.visible_user(auth.principal(), args.get("user_id"))
        with db.transaction() as cur:
            rows, total = access_repository.list_tokens(
                cur, user_id, args.get("revoked"), args["page_size"], offset_of(args)
            )
        return page_of(rows, total, args)


@blp.route("/<id:token_id>")
class TokenById(MethodView):
    @auth.role("viewer")
    @blp.response(200, TokenSchema)
    def get(self, token_id):
        """Read one of your tokens (admins: anyone's)"""
        with db.transaction() as cur:
            return tokens.get_token(cur, auth.principal(), parse_uuid(token_id, "token_id"))

    @auth.role("viewer")
    @blp.response(200, TokenSchema)
    def delete(self, token_id):
        """Revoke a token: it stops working within AUTH_CACHE_SECONDS everywhere (at once here)"""
        with db.transaction() as cur:
            return tokens.revoke_token(cur, auth.principal(), parse_uuid(token_id, "token_id"))


@internal_blp.route("/verify")
class Verify(MethodView):
    @auth.internal
    @internal_blp.arguments(VerifySchema)
    @internal_blp.response(200, VerifiedSchema)
    def post(self, request):
        """Who a session or API token stands for (401 when it is not valid); services only"""
        ((kind, value),) = request.items()
        with db.transaction() as cur:
            caller = sessions.verify(cur, kind, value, sessions.Settings.of(current_app.config))
        if caller is None:
            raise Unauthorized(f"{kind} not valid")
        return {
            **caller.public(),
            "user_id": caller.user_id,
            "session_id": caller.session_id,
            "csrf_token": caller.csrf_token,
        }
