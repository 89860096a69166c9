"""Following an action link: what it says, whether it still may act, and acting once, as the link's person.

Runs inside the caller's transaction. The incident is locked first, so that two taps of one link (or of
an acknowledge and a resolve link) are taken one after the other: the first acts, the second sees it.
"""

import dataclasses

from incident_management.actions import links
from incident_management.actions import repository as used_links
from incident_management.lifecycle import incidents
from incident_management.lifecycle import repository as incident_repository
from incident_management.lifecycle import rules as lifecycle

# outcome -> HTTP status of its page
STATUS_CODES = {"confirm": 200, "done": 200, "open": 200, "used": 409, "stale": 409, "expired": 410, "invalid": 404}


@dataclasses.dataclass
class Outcome:
    kind: str  # one of STATUS_CODES
    link: links.Link | None = None
    incident: dict | None = None
    before: dict | None = None  # the incident before a change (for metrics)
    used_at: object = None

    @property
    def status_code(self):
        return STATUS_CODES[self.kind]


def _done_already(incident, action):
    """Whether the incident is at or past what `action` would move it to."""
    target = links.CHANGES[action]
    return lifecycle.STATUSES.index(incident["status"]) >= lifecycle.STATUSES.index(target)


def look(cur, config, token):
    """What following the link would do (GET): nothing changes."""
    return _check(cur, config, token, for_update=False)


def follow(cur, config, token, now):
    """Act (POST): acknowledge or resolve as the link's person, once."""
    outcome = _check(cur, config, token, for_update=True)
    if outcome.kind != "confirm":
        return outcome
    link, incident = outcome.link, outcome.incident
    if not used_links.take(cur, link):  # only after the incident's lock: a second tap waits and sees it used
        return Outcome("used", link, incident, used_at=used_links.used_at(cur, link))
    changes = {"status": links.CHANGES[link.action], "actor": link.email, "via": "action link"}
    before, after = incidents.change_incident(cur, incident["id"], changes, now)
    return Outcome("done", link, after, before=before)


def _read(config, token):
    """The Link of a token, or the Outcome of one that does not hold."""
    if not config.get("ACTION_LINK_SECRET"):  # no secret, no links: none can hold
        return Outcome("invalid")
    try:
        return links.read(config["ACTION_LINK_SECRET"], token, config["ACTION_LINK_MAX_AGE_SECONDS"])
    except links.ExpiredLink:
        return Outcome("expired")
    except links.BadLink:
        return Outcome("invalid")


def _check(cur, config, token, for_update):
    link = _read(config, token)
    if isinstance(link, Outcome):
        return link
    incident = incident_repository.get_incident(cur, link.incident_id, for_update=for_update)
    if incident is None:  # deleted since the page went out
        return Outcome("invalid", link)
    if link.action == "open":
        return Outcome("open", link, incident)
    used_at = used_links.used_at(cur, link)
    if used_at is not None:  # said before "stale": the incident moved because of this very link
        return Outcome("used", link, incident, used_at=used_at)
    return Outcome("stale" if _done_already(incident, link.action) else "confirm", link, incident)
