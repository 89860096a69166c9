"""Request and response schemas of the notification service."""

import typing

import marshmallow as ma
from flask import current_app

from notification_service import recipients
from notification_service.channels import CHANNELS, DEFAULT_CHANNEL, apprise_urls, webhook
from servicekit import enums, outbound
from servicekit.fields import Timestamp
from servicekit.params import PageArgsSchema

STATUSES = enums.NOTIFICATION_STATUSES
URGENCIES = enums.URGENCIES
ACTIONS = enums.ACTION_LINK_ACTIONS
KINDS = enums.NOTIFICATION_KINDS
CONTACT_KINDS = tuple(kind for kind in KINDS if kind != "incident")


def _text(max_length, **kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=max_length), **kwargs)


def _single_line(value):
    if "\n" in value or "\r" in value:
        raise ma.ValidationError("Must be a single line.")


class ActionLinkShownSchema(ma.Schema):
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(ACTIONS))
    label = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=40), _single_line])


class ActionLinkSchema(ActionLinkShownSchema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "action": "acknowledge",
        "label": "Acknowledge",
        "url": "https://oncall.example.com/api/v1/incidents/actions/signed-token",
    }

    url = ma.fields.String(
        required=True,
        load_only=True,  # a credential: stored for retries, never shown
        validate=[ma.validate.Length(max=2048), ma.validate.URL(schemes={"http", "https"}, require_tld=False)],
    )


class _RecipientSchema(ma.Schema):
    """A channel and a recipient that fits it."""

    channel = ma.fields.String(
        load_default=DEFAULT_CHANNEL,
        validate=ma.validate.OneOf(CHANNELS),
        metadata={"description": f"One of {', '.join(CHANNELS)}; default {DEFAULT_CHANNEL}"},
    )
    recipient = _text(
        2048,
        required=True,
        metadata={
            "description": "email: an address; webhook and slack: an http(s) URL; apprise: an Apprise URL "
            "(ntfy://, workflows://, pover://, twilio://, ... see docs/notifications.md); log: a name"
        },
    )

    @ma.pre_load
    def normalise(self, data, **_kwargs):
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("channel"), str):
            data["channel"] = data["channel"].strip().lower()
        if isinstance(data.get("recipient"), str):
            data["recipient"] = data["recipient"].strip()
        return data

    @ma.validates_schema(skip_on_field_errors=False)
    def recipient_fits_channel(self, data, **_kwargs):
        if "channel" not in data or "recipient" not in data:  # already named as invalid or missing
            return
        problem = None
        if data["channel"] in recipients.URL_CHANNELS:
            # Checked again at every send: a name may resolve elsewhere by then.
            refused = webhook.client(current_app).problem(data["recipient"])
            problem = f"Destination refused: {refused}." if refused else None
        problem = problem or recipients.problem(data["channel"], data["recipient"])
        if not problem and data["channel"] == "apprise":
            problem = _apprise_server_problem(data["recipient"])
        if problem:
            raise ma.ValidationError(problem, field_name="recipient")


class _MessageSchema(_RecipientSchema):
    """What every message asks for: a channel, a recipient that fits it, the text."""

    person = ma.fields.Email(
        validate=ma.validate.Length(max=320),
        metadata={"description": "Whom it is for (their e-mail): their profile lists every delivery to them"},
    )

    urgency = ma.fields.String(
        load_default="high",
        validate=ma.validate.OneOf(URGENCIES),
        metadata={
            "description": "high (default) or low; the apprise channel maps it to the service's priority "
            "(ntfy max, Pushover emergency; low is quiet)"
        },
    )
    message = _text(10000, required=True)
    subject = ma.fields.String(
        validate=[ma.validate.Length(min=1, max=500), _single_line],
        metadata={"description": "E-mail subject and chat title; default the message's first line"},
    )


class RecipientCheckSchema(_RecipientSchema):
    """Would this recipient be taken (a contact method being saved)?"""

    OPENAPI_EXAMPLE: typing.ClassVar = {"channel": "apprise", "recipient": "ntfys://ntfy.example.com/oncall-alice"}


class RecipientSchema(ma.Schema):
    channel = ma.fields.String()
    recipient = ma.fields.String(metadata={"description": "As answers show it: an Apprise URL's secrets as ****"})
    kind = ma.fields.String(metadata={"description": "sms, voice, push, chat, email, webhook or log"})
    service = ma.fields.String(allow_none=True, metadata={"description": "An Apprise URL's service, e.g. ntfy"})


class NotifyRequestSchema(_MessageSchema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "incident_id": "3f1c2b9e-8a4d-4c6b-9e2f-1a2b3c4d5e6f",
        "channel": "log",
        "recipient": "alice",
        "message": "Incident on payments: p99 latency above 2s",
    }

    incident_id = ma.fields.UUID(required=True)
    actions = ma.fields.List(
        ma.fields.Nested(ActionLinkSchema),
        load_default=list,
        validate=ma.validate.Length(max=3),
        metadata={
            "description": "Action links (acknowledge, resolve, open), shown as buttons where the channel has "
            "them (ntfy, Teams, e-mail, Slack); their URLs are never shown in answers"
        },
    )
    dedup_key = _text(
        255,
        metadata={
            "description": "Idempotency key: a repeat with the same key answers the stored notification (200) "
            "and delivers nothing again"
        },
    )
    fold_key = _text(
        255,
        metadata={
            "description": "Pages of one incident and step share it: a repeat to the same recipient while the "
            "first is pending or within NOTIFICATION_FOLD_SECONDS folds into it (200, folds + 1)"
        },
    )


class ContactMessageRequestSchema(_MessageSchema):
    """A message to a contact method about no incident: its test, or its verification code."""

    OPENAPI_EXAMPLE: typing.ClassVar = {
        "kind": "test",
        "channel": "log",
        "recipient": "alice",
        "message": "This is a test message from the incident platform.",
    }

    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(CONTACT_KINDS))


def _apprise_server_problem(url):
    """A self-hosted service's server must pass the SSRF rules too (checked again at every send)."""
    server = apprise_urls.server_of(url)
    if server is None:
        return None
    try:
        client = webhook.client(current_app)
        outbound.check_host(*server, client.policy, client.resolve)
    except outbound.Refused as exc:
        return f"Destination refused: {exc}."
    except outbound.Unreachable:  # a name that does not resolve now may later
        return None
    return None


class NotificationSchema(ma.Schema):
    id = ma.fields.UUID()
    kind = ma.fields.String(metadata={"description": "incident, test or verification"})
    incident_id = ma.fields.UUID(allow_none=True)
    person = ma.fields.String(allow_none=True, metadata={"description": "Whom it is for (their e-mail)"})
    channel = ma.fields.String()
    recipient = ma.fields.String(metadata={"description": "An Apprise URL is shown with its secrets as ****"})
    urgency = ma.fields.String(metadata={"description": "high or low"})
    subject = ma.fields.String(allow_none=True)
    message = ma.fields.String()
    actions = ma.fields.List(
        ma.fields.Nested(ActionLinkShownSchema),
        metadata={"description": "The action links' kinds and labels (their URLs are credentials: not shown)"},
    )
    dedup_key = ma.fields.String(allow_none=True)
    fold_key = ma.fields.String(allow_none=True)
    folds = ma.fields.Integer(metadata={"description": "How many repeated pages were folded into this one"})
    status = ma.fields.String(metadata={"description": "pending (not delivered yet, will be retried), sent, failed"})
    attempts = ma.fields.Integer()
    max_attempts = ma.fields.Integer()
    last_error = ma.fields.String(allow_none=True, metadata={"description": "Why the latest failed attempt failed"})
    next_attempt_at = ma.fields.DateTime(
        allow_none=True, metadata={"description": "When the next attempt is due (null unless pending)"}
    )
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    sent_at = ma.fields.DateTime(allow_none=True)
    failed_at = ma.fields.DateTime(allow_none=True)

    @ma.post_dump(pass_original=True)
    def mask_secrets(self, data, original, **_kwargs):
        if original.get("channel") == "apprise" and "recipient" in data:
            data["recipient"] = apprise_urls.masked(original["recipient"])
        return data


class NotificationQueryArgsSchema(PageArgsSchema):
    incident_id = ma.fields.UUID()
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    person = ma.fields.String(
        validate=ma.validate.Length(min=1, max=320), metadata={"description": "Deliveries to this person (any case)"}
    )
    recipient = ma.fields.String()
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    channel = ma.fields.String(validate=ma.validate.OneOf(CHANNELS))
    since = Timestamp(metadata={"description": "Created at or after"})
    until = Timestamp(metadata={"description": "Created before"})
