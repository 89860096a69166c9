"""Resolution by the source, as pure rules: when an incident is resolved because its alerts are.

An incident is resolved by its source when every alert attached to it has
been resolved by the system that sent it (e.g. Alertmanager). The
resolution time is the moment the last alert ended, as the source says,
so MTTR measures the problem and not the notification delay; it is never
earlier than a time the incident already recorded. A source resolution is
not an acknowledgement: MTTA stays empty when nobody acknowledged.
"""

from incident_management.lifecycle.rules import seconds_between

REASON = "all alerts resolved by their source"


def should_resolve(incident, firing_alerts, unrecorded_resolutions):
    """Whether the incident is to be resolved now that one more of its alerts' resolutions is recorded.

    Only the last resolution to be recorded resolves it, so that the timeline reads
    every `alert_resolved` first and then `resolved`.
    """
    return incident["status"] != "resolved" and firing_alerts == 0 and unrecorded_resolutions == 0


def resolution_time(incident, last_alert_resolved_at, now):
    """When the incident counts as resolved: the last alert's end, kept within the incident's own history."""
    candidates = [
        last_alert_resolved_at or now,
        incident["created_at"],
        incident.get("acknowledged_at"),
        incident.get("in_progress_at"),
    ]
    return min(max(moment for moment in candidates if moment is not None), max(now, incident["created_at"]))


def plan_resolution(incident, last_alert_resolved_at, source, now):
    """The columns to update to resolve the incident on behalf of `source` (MTTR as for any resolution)."""
    resolved_at = resolution_time(incident, last_alert_resolved_at, now)
    return {
        "status": "resolved",
        "resolved_at": resolved_at,
        "resolved_by": source,
        "mttr_seconds": seconds_between(incident["created_at"], resolved_at),
    }
