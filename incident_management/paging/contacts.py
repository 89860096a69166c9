"""Whom a page goes to: the paged person's own verified contact methods, or their e-mail on PAGING_CHANNEL.

With PAGING_CONTACT_METHODS on, the on-call service names the person's verified contact methods (ntfy,
SMS, Teams, e-mail, ...: its internal /internal/v1/paging-targets, real addresses included); each gets the
page. A person without any (or unknown to it) is paged as before, by e-mail address on PAGING_CHANNEL. A
step that names its own channel (an escalation's) keeps it.
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


def targets(app, client, payload):
    """The Targets of one page."""
    default = [Target(payload.get("channel") or app.config["PAGING_CHANNEL"], payload["email"], "")]
    if payload.get("channel") or not app.config["PAGING_CONTACT_METHODS"]:
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
    found = [Target(method["type"], method["address"], f"-{method['id']}") for method in methods]
    return found or default
