"""Which recipients each channel can deliver to. Pure functions, no I/O."""

import marshmallow as ma

from notification_service.channels import apprise_urls

_EMAIL = ma.validate.Email()
_HTTP_URL = ma.validate.URL(schemes={"http", "https"}, require_tld=False)

URL_CHANNELS = ("webhook", "slack")  # their recipients pass servicekit.outbound's checks too
_EXPECTED = {"email": "an e-mail address", "webhook": "an http(s) URL", "slack": "an http(s) URL"}


def problem(channel, recipient):
    """Why `recipient` cannot be a recipient of `channel`, or None when it can."""
    if channel == "apprise":
        refused = apprise_urls.problem(recipient)
        return f"Channel apprise needs an Apprise URL as recipient: {refused}." if refused else None
    check = {"email": _EMAIL, "webhook": _HTTP_URL, "slack": _HTTP_URL}.get(channel)
    if check is None:  # the log channel takes any name
        return None
    try:
        check(recipient)
    except ma.ValidationError:
        return f"Channel {channel} needs {_EXPECTED[channel]} as recipient."
    return None
