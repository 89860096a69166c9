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


def _text(max_length, **kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=1, max=max_length), **kwargs)


def _single_line(value):
    if "\n" in value or "\r" in value:
        raise ma.ValidationError("Must be a single line.")


class NotifyRequestSchema(ma.Schema):
    OPENAPI_EXAMPLE: typing.ClassVar = {
        "incident_id": "3f1c2b9e-8a4d-4c6b-9e2f-1a2b3c4d5e6f",
        "channel": "log",
        "recipient": "alice",
        "message": "Incident on payments: p99 latency above 2s",
    }

    incident_id = ma.fields.UUID(required=True)
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
    dedup_key = _text(
        255,
        metadata={
            "description": "Idempotency key: a repeat with the same key answers the stored notification (200) "
            "and delivers nothing again"
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


def _apprise_server_problem(url):
    """A self-hosted service's server must pass the SSRF rules too (checked again at every send)."""
    server = apprise_urls.server_of(url)
    if server is None:
        return None
    try:
        outbound.check_host(*server, webhook.client(current_app).policy)
    except outbound.Refused as exc:
        return f"Destination refused: {exc}."
    except outbound.Unreachable:  # a name that does not resolve now may later
        return None
    return None


class NotificationSchema(ma.Schema):
    id = ma.fields.UUID()
    incident_id = ma.fields.UUID()
    channel = ma.fields.String()
    recipient = ma.fields.String(metadata={"description": "An Apprise URL is shown with its secrets as ****"})
    urgency = ma.fields.String(metadata={"description": "high or low"})
    subject = ma.fields.String(allow_none=True)
    message = ma.fields.String()
    dedup_key = ma.fields.String(allow_none=True)
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
    recipient = ma.fields.String()
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    channel = ma.fields.String(validate=ma.validate.OneOf(CHANNELS))
    since = Timestamp(metadata={"description": "Created at or after"})
    until = Timestamp(metadata={"description": "Created before"})
