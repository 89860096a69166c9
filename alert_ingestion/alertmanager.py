"""Alertmanager's webhook alerts as platform alerts: pure mapping rules, no Flask, no database.

Each alert of a webhook payload (version 4) becomes one platform alert:
service from the `service` label, else `job`, else `alertname`; severity
mapped from the `severity` label (SEVERITY_MAP); message from the `summary`
and `description` annotations, else the alert name; every label kept; the
alert's fingerprint as the dedup key; the time from `startsAt`; links from
`generatorURL` and the annotations holding URLs (`runbook_url`, `dashboard`, ...).
"""

from alert_ingestion import links

SOURCE = "alertmanager"
MESSAGE_MAX = 10000
SERVICE_LABELS = ("service", "job", "alertname")

# Alertmanager's `severity` label (lower-cased) -> platform severity. Common spellings of
# the Prometheus conventions (critical/warning/info) and of incident tools (high, P1-P5).
SEVERITY_MAP = {
    "critical": "critical",
    "crit": "critical",
    "fatal": "critical",
    "emergency": "critical",
    "page": "critical",
    "p1": "critical",
    "error": "high",
    "err": "high",
    "high": "high",
    "major": "high",
    "p2": "high",
    "warning": "medium",
    "warn": "medium",
    "medium": "medium",
    "moderate": "medium",
    "minor": "medium",
    "p3": "medium",
    "info": "low",
    "informational": "low",
    "notice": "low",
    "low": "low",
    "none": "low",
    "ticket": "low",
    "p4": "low",
    "p5": "low",
}
MISSING_SEVERITY = "low"
# A severity nobody listed is still an alert someone configured: neither dropped nor paged as critical.
UNKNOWN_SEVERITY = "medium"

# Go's zero time: Alertmanager's endsAt of an alert that has not ended.
_GO_ZERO_YEAR = 1
# FNV-1a 64 over sorted label pairs, as prometheus/common's LabelSet.Fingerprint computes it.
_FNV_OFFSET = 14695981039346656037
_FNV_PRIME = 1099511628211
_SEPARATOR = b"\xff"


def map_severity(labels):
    """The platform severity for an alert's labels (see SEVERITY_MAP)."""
    value = labels.get("severity")
    if value is None or not str(value).strip():
        return MISSING_SEVERITY
    return SEVERITY_MAP.get(str(value).strip().lower(), UNKNOWN_SEVERITY)


def service_of(labels):
    """The `service` label, else `job`, else `alertname`; None when the alert has none of them."""
    for name in SERVICE_LABELS:
        value = str(labels.get(name) or "").strip()
        if value:
            return value
    return None


def message_of(labels, annotations):
    """`summary`, then `description` on the lines below it; the alert name when neither is given."""
    parts = [str(annotations.get(name) or "").strip() for name in ("summary", "description")]
    text = "\n\n".join(part for part in parts if part) or str(labels.get("alertname") or "").strip()
    text = text or "Alertmanager alert"
    return text if len(text) <= MESSAGE_MAX else text[: MESSAGE_MAX - 1] + "…"


def fingerprint(labels):
    """Alertmanager's fingerprint of a label set (16 hex digits), for senders that do not send it."""
    value = _FNV_OFFSET
    for name in sorted(labels):
        for chunk in (name.encode(), _SEPARATOR, str(labels[name]).encode(), _SEPARATOR):
            for byte in chunk:
                value = ((value ^ byte) * _FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def is_set(moment):
    """Whether a time from Alertmanager is a real time (not absent, not Go's zero time)."""
    return moment is not None and moment.year > _GO_ZERO_YEAR


def status_of(alert, now):
    """`firing` or `resolved`: the alert's own status, else derived from endsAt (old senders)."""
    if alert.get("status"):
        return alert["status"]
    ends_at = alert.get("ends_at")
    return "resolved" if is_set(ends_at) and ends_at <= now else "firing"


def to_platform_alert(alert):
    """The `POST /api/v1/alerts` body (before its validation) for one firing Alertmanager alert."""
    labels = alert["labels"]
    annotations = alert.get("annotations") or {}
    body = {
        "service": service_of(labels),
        "severity": map_severity(labels),
        "message": message_of(labels, annotations),
        "labels": dict(labels),
        "dedup_key": alert.get("fingerprint") or fingerprint(labels),
        "links": links_of(alert),
    }
    if is_set(alert.get("starts_at")):
        body["timestamp"] = alert["starts_at"].isoformat()
    return body


def links_of(alert):
    """The alert's URL annotations (runbook first), then the Prometheus query that fired it."""
    found = links.from_annotations(alert.get("annotations") or {})
    return links.unique([*found, links.link(alert.get("generator_url"), "Source")])


def resolved_at(alert, now):
    """When the source says the alert ended: endsAt, or now when it did not say (or says the future)."""
    ends_at = alert.get("ends_at")
    if is_set(ends_at) and ends_at <= now:
        return ends_at
    return now
