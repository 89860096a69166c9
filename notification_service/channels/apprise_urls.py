"""Apprise URLs as recipients: the services allowed, parsed by Apprise itself, shown masked, given a priority.

Only services whose plugins speak HTTP(S) through `requests` are allowed: their
connections pass servicekit.outbound_guard's SSRF checks. Others (e-mail over
SMTP, XMPP, MQTT, syslog, desktop notifications) would open sockets that no
check sees, and the platform has its own e-mail channel.
"""

import logging
import re
import threading
import urllib.parse

import apprise

# scheme -> the service, as the documents name it (docs/notifications.md has an example URL of each).
SERVICES = {
    "ntfy": "ntfy",
    "ntfys": "ntfy",
    "gotify": "Gotify",
    "gotifys": "Gotify",
    "pover": "Pushover",
    "workflow": "Microsoft Teams (Workflows)",
    "workflows": "Microsoft Teams (Workflows)",
    "tgram": "Telegram",
    "discord": "Discord",
    "matrix": "Matrix",
    "matrixs": "Matrix",
    "mmost": "Mattermost",
    "mmosts": "Mattermost",
    "rocket": "Rocket.Chat",
    "rockets": "Rocket.Chat",
    "twilio": "Twilio SMS",
    "vonage": "Vonage SMS",
    "nexmo": "Vonage SMS",
    "signal": "Signal (signal-cli REST API)",
    "signals": "Signal (signal-cli REST API)",
}
# Query options that make Apprise read a file or fetch a URL of the caller's choosing: never taken from a recipient.
_FORBIDDEN_OPTIONS = {"template", "attach", "attachment", "config", "avatar_url", "icon", "image_url"}
# Urgency -> the service's own priority option, set unless the URL chooses one itself.
PRIORITIES = {
    "ntfy": {"high": ("priority", "max"), "low": ("priority", "low")},
    "gotify": {"high": ("priority", "emergency"), "low": ("priority", "moderate")},
    "pover": {"high": ("priority", "emergency"), "low": ("priority", "moderate")},
    "tgram": {"low": ("silent", "yes")},
}
_FAMILY = {"ntfys": "ntfy", "gotifys": "gotify"}
# Services whose URL names the server to call (the others call their vendor's fixed API host).
_SELF_HOSTED = {
    "ntfy",
    "ntfys",
    "gotify",
    "gotifys",
    "workflow",
    "workflows",
    "matrix",
    "matrixs",
    "mmost",
    "mmosts",
    "rocket",
    "rockets",
    "signal",
    "signals",
}
_SEPARATORS = re.compile(r"[/:@?&=#,]+")
# Apprise writes request headers (tokens) at DEBUG; the platform's logs stay at INFO or above for it.
logging.getLogger("apprise").setLevel(logging.INFO)
# In memory only: Apprise would otherwise keep state files under the user's home folder.
ASSET = apprise.AppriseAsset(storage_mode="memory", image_url_mask=None, image_url_logo=None)


class InvalidURL(ValueError):
    """Not an Apprise URL the platform delivers to; the message says why (safe to show)."""


def scheme_of(url):
    return url.partition("://")[0].lower() if "://" in url else ""


def load(url):
    """The Apprise plugin for `url`, or InvalidURL naming the problem (Apprise's own reason when it gives one)."""
    scheme = scheme_of(url)
    if scheme not in SERVICES:
        raise InvalidURL(
            f"{scheme + '://' if scheme else 'This'} is not a supported Apprise service; "
            f"use one of {', '.join(sorted({f'{s}://' for s in SERVICES}))}"
        )
    options = {key.lower() for key, _ in urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, True)}
    forbidden = sorted(options & _FORBIDDEN_OPTIONS)
    if forbidden:
        raise InvalidURL(f"the option {forbidden[0]}= is not allowed in a recipient (it reads files or URLs)")
    with Warnings() as warnings:
        plugin = apprise.Apprise.instantiate(url, asset=ASSET, suppress_exceptions=True)
    if plugin is None:
        reason = warnings.last() or "Apprise cannot parse it"
        raise InvalidURL(f"not a valid {SERVICES[scheme]} URL: {mask_text(reason, url)}")
    return plugin


def problem(url):
    """Why `url` cannot be a recipient, or None when Apprise takes it."""
    try:
        load(url)
    except InvalidURL as exc:
        return str(exc)
    return None


def server_of(url):
    """(host, port) of the server a self-hosted service's URL names, or None (a vendor's API, ntfy.sh)."""
    if scheme_of(url) not in _SELF_HOSTED:
        return None
    plugin = load(url)
    if getattr(plugin, "mode", None) == "cloud" or not getattr(plugin, "host", None):
        return None
    return plugin.host, plugin.port or (443 if getattr(plugin, "secure", True) else 80)


def secrets_of(url):
    """The parts of `url` that Apprise itself hides when it shows the URL (tokens, passwords, keys)."""
    try:
        plugin = apprise.Apprise.instantiate(url, asset=ASSET, suppress_exceptions=True)
    except Exception:  # a URL Apprise cannot take hides everything but its scheme
        plugin = None
    parts = _parts(url)
    if plugin is None:
        return parts
    return parts - _parts(plugin.url(privacy=True))


def _parts(url):
    """The pieces of `url` after its scheme, query option names left out (they are never secret)."""
    rest = url.partition("://")[2]
    rest, _, query = rest.partition("?")
    values = [pair.partition("=")[2] for pair in query.split("&")]
    pieces = _SEPARATORS.split(urllib.parse.unquote(rest)) + [urllib.parse.unquote(value) for value in values]
    return {piece for piece in pieces if piece}


def mask_text(text, url):
    """`text` (a reason Apprise gave) with every secret of `url` replaced by ****."""
    for secret in sorted(secrets_of(url), key=len, reverse=True):
        if len(secret) >= 4:  # shorter ones would blank out ordinary words; a URL never shows them (masked())
            text = text.replace(secret, "****")
    return text


def masked(url):
    """The recipient as API answers show it: the URL with each of its secret parts replaced by ****."""
    secrets = secrets_of(url)

    def hide(text):
        pieces = re.split(f"({_SEPARATORS.pattern})", text)
        return "".join("****" if urllib.parse.unquote(piece) in secrets else piece for piece in pieces)

    scheme, separator, rest = url.partition("://")
    rest, question, query = rest.partition("?")
    pairs = [pair.partition("=") for pair in query.split("&")] if question else []
    shown_query = "&".join(key + equals + hide(value) for key, equals, value in pairs)
    return scheme + separator + hide(rest) + question + shown_query


def with_urgency(url, urgency):
    """`url` with the priority that `urgency` (high, low) maps to, unless the URL sets that option itself."""
    family = _FAMILY.get(scheme_of(url), scheme_of(url))
    choice = PRIORITIES.get(family, {}).get(urgency)
    if choice is None:
        return url
    option, value = choice
    return with_option(url, option, value, replace=False)


def with_option(url, option, value, replace=True):
    """`url` with one more query option (kept as written otherwise); an option already there wins unless replace."""
    base, _, fragment = url.partition("#")
    path, _, query = base.partition("?")
    pairs = [pair for pair in query.split("&") if pair]
    present = [pair for pair in pairs if pair.split("=", 1)[0].lower() == option]
    if present and not replace:
        return url
    pairs = [pair for pair in pairs if pair not in present]
    pairs.append(f"{option}={urllib.parse.quote(value, safe='')}")
    return f"{path}?{'&'.join(pairs)}" + (f"#{fragment}" if fragment else "")


class Warnings(logging.Handler):
    """Collects Apprise's warnings and errors raised in this thread while the block runs (its only reasons)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages = []

    def emit(self, record):
        if record.thread == self.thread:
            self.messages.append(record.getMessage())

    def last(self):
        return self.messages[-1] if self.messages else None

    def __enter__(self):
        logging.getLogger("apprise").addHandler(self)
        return self

    def __exit__(self, *_exc):
        logging.getLogger("apprise").removeHandler(self)
