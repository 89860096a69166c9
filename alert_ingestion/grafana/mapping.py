"""One alert of Grafana's webhook as a platform alert: pure rules, no Flask, no database.

Alertmanager's rules (alertmanager.to_platform_alert: service, severity, message, labels, the fingerprint as
dedup key, startsAt) and Grafana's own: each of `values` as a `values.<refId>` label, links to the alert rule
(`generatorURL`), dashboard, panel and silence page after the annotations' URLs, and `imageURL` as an image.
"""

from alert_ingestion import alertmanager, links
from alert_ingestion.schemas import MAX_LABEL_KEY, MAX_LABELS

SOURCE = "grafana"


def links_of(alert):
    found = links.from_annotations(alert.get("annotations") or {})
    grafana = [
        links.link(alert.get("generator_url"), "Alert rule"),
        links.link(alert.get("dashboard_url"), "Dashboard"),
        links.link(alert.get("panel_url"), "Panel"),
        links.link(alert.get("silence_url"), "Silence"),
    ]
    return links.unique([*found, *grafana])


def images_of(alert):
    image = links.link(alert.get("image_url"), "Grafana panel")
    if image is None:
        return []
    target = links.link(alert.get("panel_url"), None) or links.link(alert.get("dashboard_url"), None)
    return [{"src": image["href"], "alt": "Grafana panel", **({"href": target["href"]} if target else {})}]


def to_platform_alert(alert):
    """The `POST /api/v1/alerts` body (before its validation) for one firing Grafana alert."""
    body = alertmanager.to_platform_alert(alert)
    labels = body["labels"]
    for ref_id, value in sorted((alert.get("values") or {}).items()):
        if len(labels) >= MAX_LABELS:
            break
        labels[f"values.{ref_id}"[:MAX_LABEL_KEY]] = value
    body["links"] = links_of(alert)
    body["images"] = images_of(alert)
    return body
