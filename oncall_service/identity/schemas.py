"""Request and response schemas of users, contact methods and teams."""

import typing

import marshmallow as ma

from oncall_service.schemas import _team, _text
from servicekit.fields import JsonBoolean, timezone_field
from servicekit.params import PageArgsSchema

ROLES = ("viewer", "responder", "admin")
CONTACT_TYPES = ("email", "webhook", "slack", "log", "apprise")
MAX_TEAM_MEMBERS = 500


def _email(**kwargs):
    return ma.fields.Email(validate=ma.validate.Length(max=320), **kwargs)


def _password(**kwargs):
    return ma.fields.String(
        load_only=True,
        validate=ma.validate.Length(min=1, max=1024),
        metadata={"description": "Admins: set the user's password (at least PASSWORD_MIN_LENGTH characters)"},
        **kwargs,
    )


def _role(**kwargs):
    return ma.fields.String(
        validate=ma.validate.OneOf(ROLES),
        metadata={"description": "viewer reads; responder acts on incidents; admin manages"},
        **kwargs,
    )


class _Stripped(ma.Schema):
    @ma.pre_load
    def strip(self, data, **_kwargs):
        if isinstance(data, dict):
            data = {k: v.strip() if isinstance(v, str) and k != "password" else v for k, v in data.items()}
        return data


class _NotEmpty(ma.Schema):
    OPENAPI_EXTRA: typing.ClassVar = {"minProperties": 1}

    @ma.validates_schema
    def not_empty(self, data, **_kwargs):
        if not data:
            raise ma.ValidationError("Give at least one field to change.")


class UserCreateSchema(_Stripped):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "name": "Alice",
        "email": "alice@example.com",
        "timezone": "Europe/Berlin",
        "role": "responder",
    }

    name = _text(200, required=True)
    email = _email(required=True)
    timezone = timezone_field(load_default="UTC")
    role = _role(load_default="responder")
    password = _password()


class UserPatchSchema(_Stripped, _NotEmpty):
    """Any subset of the fields; `active: false` deactivates, `true` reactivates."""

    name = _text(200)
    email = _email()
    timezone = timezone_field()
    role = _role()
    active = JsonBoolean()
    password = _password()


class UserSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    email = ma.fields.String()
    timezone = ma.fields.String()
    role = ma.fields.String()
    active = ma.fields.Boolean()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class UserQueryArgsSchema(PageArgsSchema):
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
    active = ma.fields.Boolean()
    email = ma.fields.String(validate=ma.validate.Length(min=1, max=320))
    search = ma.fields.String(
        validate=ma.validate.Length(min=1, max=200), metadata={"description": "Part of the name or e-mail"}
    )
    team_id = ma.fields.UUID(metadata={"description": "Only members of this team"})


class ContactMethodCreateSchema(_Stripped):
    OPENAPI_EXAMPLE: typing.ClassVar = {"type": "email", "address": "alice@example.com", "label": "work"}

    type = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(CONTACT_TYPES),
        metadata={
            "description": "The notification channel: email, webhook, slack (its webhook URL), apprise (an Apprise "
            "URL: ntfy, Pushover, Teams, SMS, ...; verified by a code before paging uses it) or log"
        },
    )
    address = _text(
        2048,
        required=True,
        metadata={"description": "An e-mail address (email), an http(s) URL (webhook, slack), any name (log)"},
    )
    label = _text(100, allow_none=True)


class ContactMethodPatchSchema(_Stripped, _NotEmpty):
    type = ma.fields.String(validate=ma.validate.OneOf(CONTACT_TYPES))
    address = _text(2048)
    label = _text(100, allow_none=True)


class ContactMethodSchema(ma.Schema):
    id = ma.fields.UUID()
    user_id = ma.fields.UUID()
    type = ma.fields.String()
    address = ma.fields.Function(
        lambda method: method.get("address_shown") or method["address"],
        metadata={"description": "An Apprise URL is shown with its secrets as ****"},
    )
    label = ma.fields.String(allow_none=True)
    verified = ma.fields.Function(
        lambda method: method.get("verified_at") is not None,
        metadata={"description": "Paging uses only verified methods; an Apprise method is verified by a code"},
    )
    verified_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class ContactMethodQueryArgsSchema(PageArgsSchema):
    type = ma.fields.String(validate=ma.validate.OneOf(CONTACT_TYPES))


def _team_members(**kwargs):
    return ma.fields.List(
        ma.fields.UUID(),
        validate=ma.validate.Length(max=MAX_TEAM_MEMBERS),
        metadata={"description": "User ids; replaces the whole list"},
        **kwargs,
    )


class TeamCreateSchema(_Stripped):
    OPENAPI_EXAMPLE: typing.ClassVar = {"name": "platform-engineering", "description": "Runs the platform"}

    name = _team(required=True)
    description = ma.fields.String(validate=ma.validate.Length(max=1000), allow_none=True)
    members = _team_members(load_default=list)


class TeamPatchSchema(_Stripped, _NotEmpty):
    name = _team()
    description = ma.fields.String(validate=ma.validate.Length(max=1000), allow_none=True)
    members = _team_members()
    active = JsonBoolean()


class TeamMemberSchema(ma.Schema):
    user_id = ma.fields.UUID()
    name = ma.fields.String()
    email = ma.fields.String()
    role = ma.fields.String()
    active = ma.fields.Boolean()


class TeamSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    active = ma.fields.Boolean()
    members = ma.fields.List(ma.fields.Nested(TeamMemberSchema))
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class TeamQueryArgsSchema(PageArgsSchema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    active = ma.fields.Boolean()
    user_id = ma.fields.UUID(metadata={"description": "Only teams this user is a member of"})
