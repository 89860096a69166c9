"""A PagerDuty trigger event as a platform alert: pure mapping rules, no Flask, no database.

- service: the integration key's (applied later, when it names one), else `payload.source`;
- severity: critical -> critical, error -> high, warning -> medium, info -> low;
- message: `payload.summary`;
- labels: `source`, `component`, `group`, `class`, `client`, and each `custom_details` entry as
  `details.<name>` (objects and lists as JSON text), within the alert's label limits;
- links: `links`, then `client_url` (named by `client`); images: `images`;
- dedup key: the event's, else a new one (returned to the sender).
"""

import json
import uuid

from alert_ingestion import links
from alert_ingestion.schemas import MAX_LABEL_KEY, MAX_LABEL_VALUE, MAX_LABELS

SOURCE = "pagerduty"
SEVERITY_MAP = {"critical": "critical", "error": "high", "warning": "medium", "info": "low"}
SERVICE_MAX = 200
_PAYLOAD_LABELS = (("source", "source"), ("component", "component"), ("group", "group"), ("class_", "class"))


def new_dedup_key():
    """What PagerDuty makes for a trigger without one: 32 hex digits."""
    return uuid.uuid4().hex


def _label_value(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= MAX_LABEL_VALUE else text[: MAX_LABEL_VALUE - 1] + "…"


def labels_of(event):
    payload = event["payload"]
    labels = {name: payload[field] for field, name in _PAYLOAD_LABELS if payload.get(field)}
    if event.get("client"):
        labels["client"] = event["client"]
    details = payload.get("custom_details")
    if isinstance(details, dict):
        for name, value in details.items():
            if len(labels) >= MAX_LABELS:
                break
            labels[f"details.{name}"[:MAX_LABEL_KEY]] = _label_value(value)
    elif details is not None:
        labels["details"] = _label_value(details)
    return labels


def links_of(event):
    found = [links.link(item["href"], item.get("text")) for item in event.get("links") or []]
    found.append(links.link(event.get("client_url"), event.get("client") or "Source"))
    return links.unique(found)


def to_platform_alert(event, dedup_key):
    """The `POST /api/v1/alerts` body (before its validation) for a trigger event."""
    payload = event["payload"]
    body = {
        "service": payload["source"].strip()[:SERVICE_MAX],
        "severity": SEVERITY_MAP[payload["severity"]],
        "message": payload["summary"],
        "labels": labels_of(event),
        "dedup_key": dedup_key,
        "links": links_of(event),
        "images": event.get("images") or [],
    }
    if payload.get("timestamp"):
        body["timestamp"] = payload["timestamp"].isoformat()
    return body
