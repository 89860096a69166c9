"""Grouping rules as pure functions: which group an alert belongs to, and when a group opens its incident.

A rule names fields of the alert (`labels.<name>`, `message`, `source`); the
values of those fields, in order, are the alert's group. Alerts of one service
and severity join one incident only when their groups are equal. Without a
rule the default holds: one group per service and severity (group key None).
"""

import json
import re

FIELD = re.compile(r"^(?:message|source|labels\.[A-Za-z0-9_./:-]{1,100})$")
MAX_FIELDS = 10
MAX_THRESHOLD = 1000
# Bytes of a group key: well inside what a btree index entry may hold (held_alerts_group_idx).
MAX_KEY_BYTES = 2000


def invalid_field(path):
    """Why `path` cannot be a grouping field, or None when it can."""
    if not isinstance(path, str) or not FIELD.fullmatch(path):  # fullmatch: no trailing newline either
        return f"{path!r} is not a field: use labels.<name>, message or source"
    return None


def field_value(alert, path):
    """The alert's value at `path` as text (a missing label reads as None)."""
    if path.startswith("labels."):
        value = (alert.get("labels") or {}).get(path.removeprefix("labels."))
    else:
        value = alert.get(path)
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def group_key(rule, alert):
    """The alert's group under `rule` (a string), or None when there is no rule: the default grouping."""
    if not rule:
        return None
    values = [field_value(alert, path) for path in rule["group_by"]]
    key = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    return key[:MAX_KEY_BYTES].decode(errors="ignore")


def opens_incident(rule, alerts_in_group):
    """Whether a group with `alerts_in_group` alerts within the window (the new one included) opens an incident."""
    return alerts_in_group >= ((rule or {}).get("threshold") or 1)


def held_message(rule):
    """What the answer says of a held alert."""
    return (
        f"held by the grouping rule of {rule['service']!r}: an incident opens once {rule['threshold']} alerts "
        "of its group arrive within the correlation window"
    )
