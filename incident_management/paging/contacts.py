"""Whom a page goes to: the paged person's own verified contact methods, or their e-mail on PAGING_CHANNEL.

With PAGING_CONTACT_METHODS on, the on-call service names the deliveries a page to the person makes (its
internal /internal/v1/paging-targets, real addresses included): their verified contact methods (ntfy, SMS,
Teams, e-mail, ...), each after the delay of their notification rule, or all at once without rules. A person
without any method (or unknown to it) is paged as before, by e-mail address on the page's channel
(ESCALATION_CHANNEL for an escalation's, else PAGING_CHANNEL).
"""

import dataclasses

import requests


class Unreachable(Exception):
    """The on-call service could not say: the page waits and is retried."""


@dataclasses.dataclass(frozen=True)
class Target:
    channel: str
    recipient: str
    key: str  # tells a person's deliveries of one page apart (dedup keys)
    delay: int = 0  # seconds after the page (the person's notification rule)


def targets(app, client, payload):
    """The Targets of one page."""
    default = [Target(payload.get("channel") or app.config["PAGING_CHANNEL"], payload["email"], "")]
    if not app.config["PAGING_CONTACT_METHODS"]:
        return default
    try:
        response = client.get("/internal/v1/paging-targets", params={"email": payload["email"]})
    except requests.RequestException as exc:
        raise Unreachable(f"on-call service unreachable: {type(exc).__name__}") from exc
    if response.status_code == 404:  # not a user (yet): their e-mail it is
        return default
    if response.status_code != 200:
        raise Unreachable(f"on-call service answered {response.status_code} for the paging targets")
    methods = response.json().get("methods") or []
    # Without a rule the key is the method's alone, as before rules existed.
    found = [
        Target(method["type"], method["address"], _key(method), method.get("delay_seconds", 0)) for method in methods
    ]
    return found or default


def _key(method):
    return f"-{method.get('rule_id') or method['id']}"
