"""What can happen to an incident: opened, joined by an alert, changed, annotated.

Each function runs inside the caller's transaction (it takes the cursor) and
combines the pure rules with the repository.
"""

from incident_management.correlation import repository as attachments
from incident_management.correlation import rules as correlation
from incident_management.grouping import references
from incident_management.grouping import repository as grouping_repository
from incident_management.grouping import rules as grouping
from incident_management.lifecycle import repository
from incident_management.lifecycle import rules as lifecycle
from incident_management.paging import actions as paging_actions
from incident_management.paging import policy_state
from servicekit.errors import Conflict, NotFound

ALERTS_IN_DETAIL = 100


def create_incident(cur, data, actor="api", detail=None):
    incident = repository.insert_incident(cur, data, actor, detail)
    paging_actions.page_new_incident(cur, incident)  # the on-call person is paged off the request path
    return incident


def attach_alert(cur, alert, window_seconds, rule=None, attach=attachments.attach_alert):
    """Put the alert in the incident it correlates with, opening one if needed.

    Returns (incident_id, result). With a grouping `rule` for the alert's service, only alerts of one group
    share an incident, and below the rule's threshold the alert is held: (None, "held"). Safe to repeat: an
    alert already attached (or held) answers with its incident and original result. `attach(cur, alert,
    incident_id, correlation)` writes the attachment (a batch collects them to write at once).
    """
    service, severity = correlation.correlation_key(alert)
    group_key = grouping.group_key(rule, alert)
    existing, candidates, now = attachments.lock_and_lookup(
        cur, alert["alert_id"], service, severity, window_seconds, group_key
    )
    if existing:
        return existing["incident_id"], existing["correlation"]

    incident = correlation.pick_incident(candidates, alert, now, window_seconds, group_key)
    if incident is not None:
        attach(cur, alert, incident["id"], "existing_incident")
        return incident["id"], "existing_incident"
    earlier = []
    if rule and rule["threshold"] > 1:
        group = grouping_repository.hold(cur, alert, group_key, now, window_seconds)
        if not grouping.opens_incident(rule, len(group)):
            return None, "held"
        grouping_repository.release(cur, [row["alert_id"] for row in group])
        earlier = [row["alert"] for row in group if str(row["alert_id"]) != str(alert["alert_id"])]
    incident = repository.insert_incident(
        cur,
        {
            "title": correlation.incident_title(alert),
            "description": alert["message"],
            "service": service,
            "severity": severity,
            "team": (alert.get("labels") or {}).get("team"),
            "group_key": group_key,
        },
        actor="alert-ingestion",
        detail={"alert_id": str(alert["alert_id"]), **({"group": group_key} if group_key else {})},
    )
    paging_actions.page_new_incident(cur, incident)
    # The alert is alert ingestion's: its id is a reference, and the body is our copy of it.
    for held in earlier:  # the group's held alerts open the incident with it; ingestion hears of their incident
        attach(cur, held, incident["id"], "existing_incident")
        references.queue(cur, held["alert_id"], incident["id"])
    attach(cur, alert, incident["id"], "new_incident")
    return incident["id"], "new_incident"


def get_incident(cur, incident_id, for_update=False):
    incident = repository.get_incident(cur, incident_id, for_update=for_update)
    if incident is None:
        raise NotFound(f"incident {incident_id} not found")
    return incident


def incident_detail(cur, incident_id):
    incident = get_incident(cur, incident_id)
    alerts = repository.get_incident_alerts(cur, incident_id, ALERTS_IN_DETAIL)
    return {
        **incident,
        "links": _links_of(alerts),
        "alerts": alerts,
        "notes": repository.get_notes(cur, incident_id),
        "timeline": repository.get_timeline(cur, incident_id),
        "escalation": policy_state.get_state(cur, incident_id),
    }


def _links_of(alerts):
    """Every link of the incident's alerts once (alerts of one rule share a runbook), oldest alert first."""
    seen, found = set(), []
    for alert in reversed(alerts):
        for link in alert["links"]:
            if link["href"] not in seen:
                seen.add(link["href"])
                found.append(link)
    return found


def change_incident(cur, incident_id, changes, now):
    """Apply a PATCH: status, assignee and/or a note. Returns (previous, updated incident)."""
    incident = get_incident(cur, incident_id, for_update=True)
    actor = changes.get("actor") or (changes.get("note") or {}).get("author") or "api"
    updates = {}

    if "status" in changes:
        try:
            updates.update(lifecycle.plan_transition(incident, changes["status"], now))
        except lifecycle.TransitionRefused as refused:
            raise Conflict(str(refused)) from None
    if changes.get("assigned_to") and changes["assigned_to"] != incident["assigned_to"]:
        updates["assigned_to"] = changes["assigned_to"]
        updates["assigned_email"] = changes.get("assigned_email")
    if updates.get("status") == "resolved":
        updates["resolved_by"] = actor

    updated = repository.update_incident(cur, incident_id, updates) if updates else incident
    via = {"via": changes["via"]} if changes.get("via") else {}  # e.g. an action link from a page
    for event_type, detail in _events(incident, updates):
        repository.insert_event(cur, incident_id, event_type, actor, {**detail, **via})
    paging_actions.notify_on_change(cur, incident, updated, actor)
    if changes.get("note"):
        repository.insert_note(cur, incident_id, changes["note"]["author"], changes["note"]["content"])
    return incident, updated


def _events(before, updates):
    """Timeline events for the columns that changed, in lifecycle order."""
    events = []
    if "assigned_to" in updates:
        events.append(("assigned", {"assigned_to": updates["assigned_to"], "previous": before["assigned_to"]}))
    if "acknowledged_at" in updates:
        events.append(("acknowledged", {"mtta_seconds": updates["mtta_seconds"]}))
    if "in_progress_at" in updates:
        events.append(("in_progress", {}))
    if "resolved_at" in updates:
        events.append(("resolved", {"mttr_seconds": updates["mttr_seconds"]}))
    return events


def add_note(cur, incident_id, author, content):
    get_incident(cur, incident_id, for_update=True)
    return repository.insert_note(cur, incident_id, author, content)
