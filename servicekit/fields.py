"""Marshmallow fields with the platform's limits, documented in the OpenAPI documents.

Timestamps: ISO 8601 with a UTC offset within ±15:59 (what PostgreSQL stores), naive
times read as UTC, always returned in UTC, and inside a window. Events (an alert's
`timestamp`) may not be before TIMESTAMP_EARLIEST nor more than
TIMESTAMP_MAX_FUTURE_SECONDS ahead of now; times in queries stay in QUERY_WINDOW.
"""

import datetime as dt
import zoneinfo

import marshmallow as ma
from flask import current_app, has_app_context

_UTC = dt.UTC
MAX_UTC_OFFSET = dt.timedelta(hours=15, minutes=59)
QUERY_WINDOW = (dt.datetime(1970, 1, 1, tzinfo=_UTC), dt.datetime(3000, 1, 1, tzinfo=_UTC))

TIMESTAMP_SETTINGS = {
    "TIMESTAMP_EARLIEST": "2000-01-01T00:00:00+00:00",
    "TIMESTAMP_MAX_FUTURE_SECONDS": 86400,
}


def event_window(now=None):
    """(earliest, latest) an event's timestamp may name, from the settings."""
    config = current_app.config if has_app_context() else TIMESTAMP_SETTINGS
    settings = {**TIMESTAMP_SETTINGS, **{k: config[k] for k in TIMESTAMP_SETTINGS if k in config}}
    earliest = dt.datetime.fromisoformat(settings["TIMESTAMP_EARLIEST"])
    now = now or dt.datetime.now(_UTC)
    return earliest, now + dt.timedelta(seconds=float(settings["TIMESTAMP_MAX_FUTURE_SECONDS"]))


class Timestamp(ma.fields.AwareDateTime):
    """An aware ISO 8601 time in UTC. `window`: "event", "query", or None (any time Python can hold)."""

    default_error_messages = {  # noqa: RUF012 (marshmallow merges the class attribute)
        "offset": "The UTC offset must be within ±15:59.",
        "early": "Must not be before {earliest}.",
        "late": "Must not be after {latest}.",
    }

    def __init__(self, window="query", **kwargs):
        kwargs.setdefault("default_timezone", _UTC)
        metadata = dict(kwargs.pop("metadata", {}) or {})
        rule = _WINDOW_RULES[window]
        metadata["description"] = f"{metadata['description']}. {rule}" if metadata.get("description") else rule
        super().__init__(metadata=metadata, **kwargs)
        self.window = window

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if abs(moment.utcoffset()) > MAX_UTC_OFFSET:
            raise self.make_error("offset")
        try:
            moment = moment.astimezone(_UTC)
        except OverflowError:  # e.g. 9999-12-31T23:59:59-01:00 is past year 9999 in UTC
            raise self.make_error("late", latest="9999-12-31T23:59:59Z") from None
        if self.window is not None:
            earliest, latest = event_window() if self.window == "event" else QUERY_WINDOW
            if moment < earliest:
                raise self.make_error("early", earliest=earliest.isoformat())
            if moment > latest:
                raise self.make_error("late", latest=latest.isoformat())
        return moment


_WINDOW_RULES = {
    "event": "ISO 8601, UTC offset within ±15:59 (naive: UTC), stored in UTC; not before TIMESTAMP_EARLIEST "
    "(default 2000-01-01) nor more than TIMESTAMP_MAX_FUTURE_SECONDS (default 1 day) ahead",
    "query": "ISO 8601, UTC offset within ±15:59 (naive: UTC); from 1970-01-01 to 3000-01-01",
    None: "ISO 8601, UTC offset within ±15:59 (naive: UTC)",
}


class JsonBoolean(ma.fields.Boolean):
    """true or false in a JSON body only: marshmallow's Boolean also takes 0, 1 and "yes"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


# Longer than any IANA zone name (the longest is about 30 characters).
MAX_TIMEZONE_LENGTH = 64


def _validate_timezone(name):
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ma.ValidationError(f"Unknown time zone {name!r}: use an IANA name such as Europe/Berlin.") from None


def timezone_field(description="IANA time zone", **kwargs):
    """A time zone name, checked against this machine's zoneinfo when a request comes in. The documents say
    "string", not the list of zones: that list is the machine's tzdata, and would make the generated client
    (and its drift check) differ from one machine to another."""
    return ma.fields.String(
        validate=[ma.validate.Length(min=1, max=MAX_TIMEZONE_LENGTH), _validate_timezone],
        metadata={"description": f"{description}, e.g. Europe/Berlin or UTC", "example": "Europe/Berlin"},
        **kwargs,
    )
