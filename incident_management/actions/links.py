"""Action links as pure functions: what a link says (incident, person, action) and whether its signature holds.

A link's token is an itsdangerous timed signature (HMAC-SHA256 under ACTION_LINK_SECRET, salted per
purpose) over {incident, person, action, nonce}: it cannot be made or changed without the secret, it
expires after ACTION_LINK_MAX_AGE_SECONDS, and its nonce lets the database take it once.
"""

import dataclasses
import hashlib
import secrets

import itsdangerous

from servicekit import enums

ACTIONS = enums.ACTION_LINK_ACTIONS
CHANGES = {"acknowledge": "acknowledged", "resolve": "resolved"}  # action -> the status it moves to
LABELS = {"acknowledge": "Acknowledge", "resolve": "Resolve", "open": "Open"}
_SALT = "incident-action-link/v1"
PATH = "/api/v1/incidents/actions/"


class BadLink(Exception):
    """Not a link this platform made (or one tampered with)."""


class ExpiredLink(Exception):
    """A link this platform made, older than the allowed age."""


@dataclasses.dataclass(frozen=True)
class Link:
    incident_id: str
    email: str
    name: str
    action: str
    nonce: str


def _serializer(secret):
    return itsdangerous.URLSafeTimedSerializer(secret, salt=_SALT, signer_kwargs={"digest_method": hashlib.sha256})


def sign(secret, incident_id, email, name, action):
    """A fresh token for one action by one person on one incident."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    payload = {"i": str(incident_id), "e": email, "n": name or "", "a": action, "j": secrets.token_urlsafe(12)}
    return _serializer(secret).dumps(payload)


def read(secret, token, max_age_seconds):
    """The Link a token stands for; BadLink or ExpiredLink when it does not hold."""
    try:
        payload = _serializer(secret).loads(token, max_age=max_age_seconds)
    except itsdangerous.SignatureExpired:
        raise ExpiredLink("the link has expired") from None
    except itsdangerous.BadData:
        raise BadLink("not a valid action link") from None
    if not isinstance(payload, dict) or payload.get("a") not in ACTIONS:
        raise BadLink("not a valid action link")
    return Link(payload["i"], payload["e"], payload.get("n") or "", payload["a"], payload["j"])


def url_of(base_url, token):
    return base_url.rstrip("/") + PATH + token


def links_for(config, incident_id, email, name, actions):
    """[{action, label, url}] for a page, or [] when ACTION_LINK_SECRET or ACTION_LINK_BASE_URL is not set."""
    secret, base = config.get("ACTION_LINK_SECRET"), config.get("ACTION_LINK_BASE_URL")
    if not secret or not base or not email:
        return []
    return [
        {"action": action, "label": LABELS[action], "url": url_of(base, sign(secret, incident_id, email, name, action))}
        for action in actions
    ]
