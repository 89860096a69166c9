"""The correlation rule as a pure function: which open incident, if any, an alert joins.

An alert joins the newest unresolved incident with the same service and
severity (and group, when its service has a grouping rule: see
incident_management/grouping/rules.py) created within the window; otherwise it
opens a new incident. The database query only narrows the candidates; this
function decides.
"""

import datetime as dt

DEFAULT_WINDOW_SECONDS = 300
TITLE_MAX = 200


def correlation_key(alert):
    """Alerts with the same key may share an incident (also the key of the database lock)."""
    return alert["service"], alert["severity"]


def matches(incident, alert, now, window_seconds, group_key=None):
    """Whether `alert` of group `group_key`, arriving at `now`, belongs to `incident`."""
    return (
        (incident["service"], incident["severity"]) == correlation_key(alert)
        and incident.get("group_key") == group_key
        and incident["status"] != "resolved"
        and incident["created_at"] >= now - dt.timedelta(seconds=window_seconds)
    )


def pick_incident(candidates, alert, now, window_seconds=DEFAULT_WINDOW_SECONDS, group_key=None):
    """The incident the alert joins (the newest match), or None when it must open one."""
    matching = [incident for incident in candidates if matches(incident, alert, now, window_seconds, group_key)]
    return max(matching, key=lambda incident: incident["created_at"], default=None)


def incident_title(alert):
    """A readable title for an incident opened by an alert: the service and the alert's first line."""
    first_line = alert["message"].strip().splitlines()[0] if alert["message"].strip() else "alert"
    title = f"{alert['service']}: {first_line}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"
