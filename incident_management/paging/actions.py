"""Paging steps that run inside the transaction that opens, changes or escalates an incident.

They only queue jobs (one INSERT): the HTTP calls to the on-call and notification
services happen in paging_jobs, so creating an incident never waits for them.
"""

from incident_management.lifecycle import repository
from incident_management.paging import repository as paging_repository
from incident_management.paging import rules as paging
from servicekit.errors import Conflict, NotFound


def page_new_incident(cur, incident):
    """Queue the lookup of who is on call for a new incident, their assignment and their notification."""
    paging_repository.queue(cur, incident["id"], "page")


def notification_payload(incident, reason, name, email, actor=None, detail=None, channel=None):
    subject, message = paging.message(incident, reason, actor, detail)
    payload = {"reason": reason, "name": name, "email": email, "subject": subject, "message": message}
    if channel:
        payload["channel"] = channel
    return payload


def notify_on_change(cur, before, after, actor):
    """Queue notifications about a change (a new assignee; acknowledged or resolved by someone else)."""
    for reason, name, email in paging.change_notifications(before, after, actor):
        paging_repository.queue(cur, after["id"], "notify", notification_payload(after, reason, name, email, actor))


def escalate(cur, incident_id, request):
    """Move the incident to `level` with its new assignee and queue their page. Returns (incident, notification).

    Repeating the same escalation (a lost answer) changes nothing and pages nobody again.
    """
    incident = repository.get_incident(cur, incident_id, for_update=True)
    if incident is None:
        raise NotFound(f"incident {incident_id} not found")
    level, email = request["level"], request["assigned_email"]
    if level == incident["escalation_level"] and (incident["assigned_email"] or "").lower() == email.lower():
        return incident, None
    if incident["status"] == "resolved":
        raise Conflict(f"incident {incident_id} is resolved: it cannot be escalated")
    if request["trigger"] == "timeout" and incident["status"] != "open":
        raise Conflict(f"incident {incident_id} was {incident['status']} meanwhile: no escalation by timeout")
    if level != incident["escalation_level"] + 1:
        raise Conflict(
            f"incident {incident_id} is at escalation level {incident['escalation_level']}: "
            f"it can only move to level {incident['escalation_level'] + 1}, not {level}"
        )
    changes = {"escalation_level": level, "assigned_to": request["assigned_to"], "assigned_email": email}
    updated = repository.update_incident(cur, incident_id, changes)
    detail = {
        "level": level,
        "assigned_to": request["assigned_to"],
        "assigned_email": email,
        "previous": incident["assigned_to"],
        "trigger": request["trigger"],
        "reason": request.get("reason"),
    }
    repository.insert_event(cur, incident_id, "escalated", request["actor"], detail)
    payload = notification_payload(
        updated, "escalated", request["assigned_to"], email, detail=request.get("reason"), channel=request["channel"]
    )
    paging_repository.queue(cur, incident_id, "notify", payload)
    return updated, {"channel": request["channel"], "recipient": email}
