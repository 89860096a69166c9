"""A notification that carries many alerts (Alertmanager's, Grafana's): every alert checked before any is stored.

The receivers differ only in how one of their alerts becomes a platform alert (`to_platform_alert`) and in the
source they record; firing alerts go through `accept_alert`, resolved ones resolve what the same source opened.
"""

import datetime as dt
import logging

import marshmallow as ma

from alert_ingestion import alertmanager, source_resolution
from alert_ingestion.api import accept_alert
from alert_ingestion.keys import routing
from alert_ingestion.schemas import AlertCreateSchema
from servicekit.errors import Conflict, Invalid

log = logging.getLogger(__name__)

_ALERT_SCHEMA = AlertCreateSchema()  # loading keeps no state: one instance serves every request


def receive(payload, to_platform_alert, source):
    """Check every alert of a loaded payload, then store or resolve each; returns the receiver's answer."""
    now = dt.datetime.now(dt.UTC)
    outcomes = process(plan(payload["alerts"], now, to_platform_alert), source, now)
    if payload["truncated_alerts"]:
        log.warning("%s left %d alerts out of a notification (max alerts)", source, payload["truncated_alerts"])
    return summary(outcomes, payload["truncated_alerts"])


def plan(alerts, now, to_platform_alert):
    """Map every alert before storing any: returns [(alert, status, platform alert or None)] or raises 422."""
    planned, errors = [], {}
    for index, alert in enumerate(alerts):
        status = alertmanager.status_of(alert, now)
        platform_alert = None
        if status == "firing":
            if alertmanager.service_of(alert["labels"]) is None and not routing.key_service():
                errors[index] = {"labels": ["Needs a service, job or alertname label to name the service."]}
                continue
            try:
                platform_alert = _ALERT_SCHEMA.load(to_platform_alert(alert))
            except ma.ValidationError as invalid:
                errors[index] = invalid.messages
                continue
        planned.append((alert, status, platform_alert))
    if errors:
        fields = ", ".join(f"alerts[{index}].{field}" for index, problem in errors.items() for field in problem)
        raise Invalid(f"invalid alerts in the payload: {fields}", errors={"json": {"alerts": errors}})
    return planned


def process(planned, source, now):
    """Store or resolve each planned alert; returns one outcome per alert, in payload order."""
    return [_process(alert, status, platform_alert, source, now) for alert, status, platform_alert in planned]


def summary(outcomes, truncated_alerts):
    """The receiver's answer (WebhookResultSchema)."""
    return {
        "received": len(outcomes),
        "firing": sum(1 for outcome in outcomes if outcome["status"] == "firing"),
        "resolved": sum(1 for outcome in outcomes if outcome["status"] == "resolved"),
        "truncated_alerts": truncated_alerts,
        "alerts": outcomes,
    }


def _process(alert, status, platform_alert, source, now):
    fingerprint = alert.get("fingerprint") or alertmanager.fingerprint(alert["labels"])
    if status == "firing":
        try:
            body, _code = accept_alert(platform_alert, source=source)
        except Conflict:  # its resolution raced this repeat: once more decides (a 4xx is never retried)
            body, _code = accept_alert(platform_alert, source=source)
        return {"fingerprint": fingerprint, "status": status, **body}
    outcome = source_resolution.resolve(fingerprint, source, alertmanager.resolved_at(alert, now))
    return {"fingerprint": fingerprint, "status": status, "duplicate": False, **outcome}
