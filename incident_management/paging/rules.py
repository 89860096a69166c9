"""Paging rules as pure functions: whose team an incident pages, who hears about a change, what they read.

No Flask, no database: paging_actions queues what these decide, paging_jobs delivers it.
"""

STAGE_REASONS = ("assigned", "escalated", "reassigned", "acknowledged", "resolved")


def team_of(incident, default_team):
    """The team to page: the incident's own (from the request or the alert's `team` label), else the default."""
    return incident.get("team") or default_team or None


def is_same_person(actor, name, email):
    """Whether `actor` (free text from a request) names the assignee."""
    if not actor:
        return False
    wanted = actor.strip().lower()
    return wanted in {(name or "").strip().lower(), (email or "").strip().lower()}


def change_notifications(before, after, actor):
    """(reason, name, email) of whoever should hear about a change of an incident, in order.

    - a new assignee set by hand hears that the incident is theirs now;
    - the assignee hears when someone else acknowledges or resolves their incident.
    """
    notices = []
    new_assignee = after["assigned_to"] != before["assigned_to"] and after.get("assigned_email")
    if new_assignee and not is_same_person(actor, after["assigned_to"], after["assigned_email"]):
        notices.append(("reassigned", after["assigned_to"], after["assigned_email"]))
    owner, owner_email = before["assigned_to"], before.get("assigned_email")
    if not owner_email or is_same_person(actor, owner, owner_email):
        return notices
    if before["resolved_at"] is None and after["resolved_at"] is not None:
        notices.append(("resolved", owner, owner_email))
    elif before["acknowledged_at"] is None and after["acknowledged_at"] is not None:
        notices.append(("acknowledged", owner, owner_email))
    return notices


UPDATE_REASONS = {
    "acknowledged": "acknowledged_update",
    "resolved": "resolved_update",
    "reassigned": "reassigned_update",
}


def change_of(before, after):
    """Which update a change is, for paged people who opted in: resolved, acknowledged, reassigned, or None."""
    if before["resolved_at"] is None and after["resolved_at"] is not None:
        return "resolved"
    if before["acknowledged_at"] is None and after["acknowledged_at"] is not None:
        return "acknowledged"
    if after["assigned_to"] != before["assigned_to"] and after.get("assigned_to"):
        return "reassigned"
    return None


def update_notifications(before, after, actor, paged, already):
    """(reason, name, email) for everyone paged who opted in to this change, once each.

    Not the person who made the change, and not who hears of it already (`already`: e-mails).
    """
    change = change_of(before, after)
    if change is None:
        return []
    told = {email.lower() for email in already}
    notices = []
    for person in paged:
        email = person["email"].lower()
        if change not in person.get("updates", []) or email in told or is_same_person(actor, person["name"], email):
            continue
        told.add(email)
        notices.append((UPDATE_REASONS[change], person["name"], person["email"]))
    return notices


def message(incident, reason, actor=None, detail=None):
    """(subject, message) of a notification about `incident`."""
    label = f"[{incident['severity'].upper()}] {incident['title']}"
    lines = {
        "assigned": f"You are on call and have been paged for incident {label}.",
        "escalated": f"Incident {label} has been escalated to you ({detail or 'not acknowledged in time'}).",
        "reassigned": f"Incident {label} has been assigned to you by {actor or 'someone'}.",
        "acknowledged": f"Your incident {label} was acknowledged by {actor or 'someone else'}.",
        "resolved": f"Your incident {label} was resolved by {actor or 'someone else'}.",
        "acknowledged_update": f"Incident {label}, which you were paged for, was acknowledged by {actor or 'someone'}.",
        "resolved_update": f"Incident {label}, which you were paged for, was resolved by {actor or 'someone'}.",
        "reassigned_update": (
            f"Incident {label}, which you were paged for, is now {incident.get('assigned_to') or 'someone'}'s."
        ),
    }
    body = (
        f"{lines[reason]}\nService: {incident['service']}\nStatus: {incident['status']}\n"
        f"Team: {incident.get('team') or '-'}\nIncident: {incident['id']}"
    )
    subject = f"{reason.removesuffix('_update').capitalize()}: {label}"
    return subject[:500], body


def retry_delay(attempts, max_backoff):
    """Seconds before retry number `attempts` (1, 2, 4, ... up to max_backoff)."""
    return min(float(max_backoff), 2.0 ** max(0, attempts - 1))
