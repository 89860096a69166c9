"""Moving alerts between incidents when grouping was wrong: one alert (to another incident, or split into a
new one), or all of them (a merge: the emptied incident resolves as merged, with a link to the other).

Both timelines say so, both alert counts stay true, an alert's resolution by its source travels with it,
and alert ingestion hears of the alert's new incident (references.queue). Runs in the caller's transaction.
"""

import uuid

from incident_management.correlation import repository as attachments
from incident_management.correlation import rules as correlation
from incident_management.grouping import moves_repository, references
from incident_management.lifecycle import repository
from incident_management.lifecycle import rules as lifecycle
from incident_management.paging import actions as paging_actions
from incident_management.resolution import repository as resolution_repository
from incident_management.resolution import rules as source_resolution
from servicekit.errors import Conflict, Invalid, NotFound

NEW = "new"


def move_alert(cur, incident_id, alert_id, to, actor, now):
    """Move one alert of `incident_id` to the incident `to` (an id, or "new" to split it out).

    Returns (answer, changes): changes are the (before, after) of incidents it resolved.
    """
    target_id = _target_id(to)
    _existing(cur, incident_id)
    moving = moves_repository.lock_attachments(cur, incident_id, alert_id)
    if not moving:
        raise NotFound(f"alert {alert_id} is not in incident {incident_id}")
    return _move(cur, incident_id, moving, target_id, actor, now, merge=False)


def merge(cur, incident_id, into, actor, now):
    """Move every alert of `incident_id` to `into`, and resolve `incident_id` as merged into it."""
    if into == incident_id:
        raise Conflict("an incident cannot be merged into itself")
    source = _existing(cur, incident_id)
    if source["status"] == "resolved":
        raise Conflict(f"incident {incident_id} is resolved: only an open incident can be merged")
    moving = moves_repository.lock_attachments(cur, incident_id)
    return _move(cur, incident_id, moving, into, actor, now, merge=True)


def _move(cur, source_id, moving, target_id, actor, now, merge):
    source = _existing(cur, source_id)
    attachments.lock_key(cur, source["service"], source["severity"], source["group_key"])  # no alert joins it now
    if target_id == source_id:
        raise Conflict("the alert is in this incident already")
    created = target_id is None
    target = _new_incident(cur, source, moving[0], actor) if created else _target(cur, target_id, merge)
    moves_repository.lock_incidents(cur, {source_id, target["id"]})
    source, target = _existing(cur, source_id), _existing(cur, target["id"])
    if target["status"] == "resolved":
        raise Conflict(f"incident {target['id']} is resolved: move alerts only into an open incident")
    alert_ids = [row["alert_id"] for row in moving]
    kind = "new_incident" if created else "existing_incident"
    moves_repository.move(cur, alert_ids, source_id, target["id"], kind)
    for row in moving:
        references.queue(cur, row["alert_id"], target["id"], kind)
        if not merge:
            _moved_events(cur, row, source_id, target["id"], actor)
    if merge:
        detail = {"alerts": len(alert_ids)}
        repository.insert_event(cur, source_id, "merged_into", actor, {**detail, "incident_id": str(target["id"])})
        repository.insert_event(cur, target["id"], "merged_from", actor, {**detail, "incident_id": str(source_id)})
    change = _settle_source(cur, source, target["id"], actor, now)
    answer = {
        "alert_ids": alert_ids,
        "from_incident_id": source_id,
        "to_incident_id": target["id"],
        "created": created,
        "source_resolved": change is not None,
    }
    return answer, [change] if change else []


def _moved_events(cur, row, source_id, target_id, actor):
    detail = {"alert_id": str(row["alert_id"]), "message": row["message"][:500]}
    repository.insert_event(cur, source_id, "alert_moved_out", actor, {**detail, "incident_id": str(target_id)})
    repository.insert_event(cur, target_id, "alert_moved_in", actor, {**detail, "incident_id": str(source_id)})


def _settle_source(cur, source, target_id, actor, now):
    """Resolve the source when nothing of it fires any more: merged when it has no alert left, else by its
    source's resolutions (the alert moved away was the last one firing). Returns (before, after) or None."""
    if source["status"] == "resolved":
        return None
    state = resolution_repository.incident_alert_state(cur, source["id"])
    remaining = repository.get_incident(cur, source["id"])["alert_count"]
    if remaining == 0:
        updates = lifecycle.plan_transition(source, "resolved", now)
        reason = {"reason": "merged", "merged_into": str(target_id)}
    elif source_resolution.should_resolve(source, state["firing"], state["unrecorded"]):
        updates = source_resolution.plan_resolution(source, state["last_resolved_at"], actor, now)
        reason = {"reason": source_resolution.REASON}
    else:
        return None
    resolved = repository.update_incident(cur, source["id"], {**updates, "resolved_by": actor})
    repository.insert_event(cur, source["id"], "resolved", actor, {"mttr_seconds": updates["mttr_seconds"], **reason})
    paging_actions.notify_on_change(cur, source, resolved, actor)
    return source, resolved


def _new_incident(cur, source, first_alert, actor):
    """The incident a split alert opens: the source's service, severity, team and group, paged as any new one."""
    incident = repository.insert_incident(
        cur,
        {
            "title": correlation.incident_title({"service": source["service"], "message": first_alert["message"]}),
            "description": first_alert["message"],
            "service": source["service"],
            "severity": source["severity"],
            "team": source["team"],
            "group_key": source["group_key"],
        },
        actor=actor,
        detail={"split_from": str(source["id"]), "alert_id": str(first_alert["alert_id"])},
    )
    paging_actions.page_new_incident(cur, incident)
    return incident


def _target_id(to):
    if to == NEW:
        return None
    try:
        return uuid.UUID(to)
    except ValueError:
        raise Invalid(
            f"{to!r} is neither an incident id nor {NEW!r}", errors={"json": {"to": ["An incident id or new."]}}
        ) from None


def _target(cur, target_id, merge):
    """The incident alerts move into: one named in the body, so an unknown one is 422 naming the field (404 is
    for the incident in the path)."""
    incident = repository.get_incident(cur, target_id)
    if incident is None:
        field = "into" if merge else "to"
        raise Invalid(f"no incident {target_id}", errors={"json": {field: [f"No incident {target_id}."]}})
    return incident


def _existing(cur, incident_id):
    incident = repository.get_incident(cur, incident_id)
    if incident is None:
        raise NotFound(f"incident {incident_id} not found")
    return incident
