"""Request and response schemas of signing in, sessions, API tokens and the internal verify endpoint."""

import typing

import marshmallow as ma

from oncall_service.identity.schemas import ROLES, UserSchema
from servicekit.fields import Timestamp
from servicekit.params import PageArgsSchema

MAX_PASSWORD = 1024  # longer ones would only make hashing slow


def _password(**kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=MAX_PASSWORD), load_only=True, **kwargs)


class LoginSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "email": "admin@localhost",
        "password": "the ADMIN_PASSWORD",  # pragma: allowlist secret
    }

    email = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=320))
    password = _password(required=True)


class PrincipalSchema(ma.Schema):
    kind = ma.fields.String(metadata={"description": "user (a session), token, key, service or anonymous"})
    id = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    email = ma.fields.String(allow_none=True)
    role = ma.fields.String()


class SessionSchema(ma.Schema):
    user = ma.fields.Nested(UserSchema)
    csrf_token = ma.fields.String(
        metadata={"description": "Send it as X-CSRF-Token with every POST/PUT/PATCH/DELETE made with the cookie"}
    )
    expires_at = ma.fields.DateTime(metadata={"description": "The session's end at the latest (idle ends it sooner)"})


class MeSchema(ma.Schema):
    principal = ma.fields.Nested(PrincipalSchema)
    user = ma.fields.Nested(UserSchema, allow_none=True)
    csrf_token = ma.fields.String(allow_none=True, metadata={"description": "Of the session, when signed in with one"})


class PasswordChangeSchema(ma.Schema):
    current_password = _password(required=True)
    new_password = _password(required=True)


class TokenCreateSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {"name": "deploy-script", "role": "responder"}

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    role = ma.fields.String(
        validate=ma.validate.OneOf(ROLES), metadata={"description": "At most the user's role (default: the user's)"}
    )
    expires_at = Timestamp(window="query", allow_none=True, metadata={"description": "Default: never"})
    user_id = ma.fields.UUID(metadata={"description": "Admins: the user the token is for (default: the caller)"})


class TokenSchema(ma.Schema):
    id = ma.fields.UUID()
    user_id = ma.fields.UUID()
    name = ma.fields.String()
    prefix = ma.fields.String(metadata={"description": "The token's first characters, to tell it apart"})
    role = ma.fields.String()
    source = ma.fields.String(metadata={"description": "api, or settings (ADMIN_API_KEY)"})
    created_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime(allow_none=True)
    last_used_at = ma.fields.DateTime(allow_none=True)
    revoked_at = ma.fields.DateTime(allow_none=True)


class TokenCreatedSchema(TokenSchema):
    token = ma.fields.String(metadata={"description": "Shown this once: send it as Authorization: Bearer <token>"})


class TokenQueryArgsSchema(PageArgsSchema):
    user_id = ma.fields.UUID(metadata={"description": "Admins: one user's tokens (default: everyone's)"})
    revoked = ma.fields.Boolean()


class VerifySchema(ma.Schema):
    OPENAPI_EXTRA: typing.ClassVar = {"minProperties": 1, "maxProperties": 1}

    session = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    token = ma.fields.String(validate=ma.validate.Length(min=1, max=200))

    @ma.validates_schema
    def one_credential(self, data, **_kwargs):
        if len(data) != 1:
            raise ma.ValidationError("Give exactly one of session and token.")


class VerifiedSchema(PrincipalSchema):
    user_id = ma.fields.String(allow_none=True)
    session_id = ma.fields.String(allow_none=True)
    csrf_token = ma.fields.String(allow_none=True)
