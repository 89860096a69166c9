"""The incident lifecycle as pure rules: which status changes are allowed, what they stamp.

open -> acknowledged -> in_progress -> resolved. Skipping forward is allowed,
moving backwards is refused, asking for the current status changes nothing.
"""

from servicekit.enums import INCIDENT_STATUSES as STATUSES
from servicekit.enums import SEVERITIES

__all__ = ["SEVERITIES", "STATUSES", "TransitionRefused", "allowed_transitions", "plan_transition"]

_RANK = {status: rank for rank, status in enumerate(STATUSES)}


class TransitionRefused(Exception):
    """The requested status is behind the current one."""


def allowed_transitions(current):
    """The statuses an incident in `current` may move to."""
    return list(STATUSES[_RANK[current] + 1 :])


def plan_transition(incident, target, now):
    """Return the columns to update for moving `incident` to `target` ({} when nothing changes).

    Reaching acknowledged, in_progress or resolved also acknowledges an incident that
    never was, so that MTTA is defined for every handled incident.
    """
    current = incident["status"]
    if target == current:
        return {}
    if _RANK[target] < _RANK[current]:
        raise TransitionRefused(
            f"cannot move incident from {current} back to {target}: status only moves forward ({' -> '.join(STATUSES)})"
        )
    changes = {"status": target}
    if incident.get("acknowledged_at") is None:
        changes["acknowledged_at"] = now
        changes["mtta_seconds"] = seconds_between(incident["created_at"], now)
    if target == "in_progress":
        changes["in_progress_at"] = now
    if target == "resolved":
        changes["resolved_at"] = now
        changes["mttr_seconds"] = seconds_between(incident["created_at"], now)
    return changes


def seconds_between(start, end):
    return max(0.0, (end - start).total_seconds())
