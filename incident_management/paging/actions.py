"""Paging steps that run inside the transaction that opens or changes an incident.

They only queue jobs (one INSERT): the HTTP calls to the on-call and notification
services happen in paging_jobs, so creating an incident never waits for them.
"""

from incident_management.paging import policy_state
from incident_management.paging import repository as paging_repository
from incident_management.paging import rules as paging


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
    """Queue notifications about a change: a new assignee; the assignee when someone else acknowledges or
    resolves; and everyone the policy paged who opted in to hear of it."""
    notices = paging.change_notifications(before, after, actor)
    state = policy_state.get_state(cur, after["id"])
    if state is not None:
        notices += paging.update_notifications(before, after, actor, state["paged"], [e for _, _, e in notices])
    for reason, name, email in notices:
        paging_repository.queue(cur, after["id"], "notify", notification_payload(after, reason, name, email, actor))
