"""Paging hygiene as pure rules: what kind of contact method a recipient is, and how often it may be paged.

NOTIFICATION_RATE_LIMITS holds `kind:count/seconds` pairs, e.g. `sms:1/60,voice:3/900` (the default): at
most one SMS a minute and three calls per 15 minutes to one contact method. A notification over its
limit waits (it stays pending and is sent when the window allows); it is never dropped.
"""

import dataclasses
import re

from notification_service.channels import apprise_urls
from servicekit.config import ConfigError

SETTING = "NOTIFICATION_RATE_LIMITS"
KINDS = ("sms", "voice", "push", "chat", "email", "webhook", "log")
_SMS = {"twilio", "vonage", "nexmo"}
_PUSH = {"ntfy", "ntfys", "gotify", "gotifys", "pover"}
_PAIR = re.compile(r"^(?P<kind>[a-z]+):(?P<count>[0-9]+)/(?P<seconds>[0-9]+(\.[0-9]+)?)$")


@dataclasses.dataclass(frozen=True)
class Limit:
    count: int
    seconds: float


def kind_of(channel, recipient):
    """The kind of contact method: sms, voice, push, chat (apprise), email, webhook (and slack), log."""
    if channel == "apprise":
        scheme = apprise_urls.scheme_of(recipient)
        if scheme in _SMS:
            return "voice" if re.search(r"[?&]method=call\b", recipient, re.IGNORECASE) else "sms"
        return "push" if scheme in _PUSH else "chat"
    return {"slack": "webhook"}.get(channel, channel)


def parse_limits(value):
    """{kind: Limit} from the setting's text; ConfigError naming a bad entry."""
    limits = {}
    for entry in (part.strip() for part in (value or "").split(",")):
        if not entry:
            continue
        match = _PAIR.match(entry)
        if not match or match["kind"] not in KINDS or int(match["count"]) < 1 or float(match["seconds"]) <= 0:
            raise ConfigError(
                f"setting {SETTING}: {entry!r} is not kind:count/seconds with kind one of {', '.join(KINDS)}"
            )
        limits[match["kind"]] = Limit(int(match["count"]), float(match["seconds"]))
    return limits


def wait_seconds(limit, sent_ages):
    """Seconds until one more may go, given the ages (seconds) of those sent in the window; 0 when it may now."""
    recent = sorted(age for age in sent_ages if age < limit.seconds)
    if len(recent) < limit.count:
        return 0.0
    # The oldest of the last `count` sends must leave the window first.
    return max(0.0, limit.seconds - recent[limit.count - 1])
