"""The Alertmanager webhook receiver: `POST /api/v1/alerts/alertmanager`.

Point an Alertmanager `webhook_configs` entry here with `send_resolved: true`.
Firing alerts go through the same path as `POST /api/v1/alerts`
(`accept_alert`); resolved ones resolve the alert they opened, and the
incident once all of its alerts are resolved.
"""

import datetime as dt
import logging

import marshmallow as ma
from flask.views import MethodView

from alert_ingestion import alertmanager, intake, source_resolution
from alert_ingestion.alertmanager_schemas import AlertmanagerWebhookSchema, WebhookResultSchema
from alert_ingestion.api import accept_alert
from alert_ingestion.keys import routing
from alert_ingestion.schemas import AlertCreateSchema
from servicekit import auth
from servicekit.blueprint import Blueprint
from servicekit.errors import Conflict, Invalid

log = logging.getLogger(__name__)

_ALERT_SCHEMA = AlertCreateSchema()  # loading keeps no state: one instance serves every request

blp = Blueprint(
    "alertmanager",
    __name__,
    url_prefix="/api/v1/alerts/alertmanager",
    description="Prometheus Alertmanager's webhook receiver",
)


def _mapping_description():
    by_severity = {}
    for label, severity in alertmanager.SEVERITY_MAP.items():
        by_severity.setdefault(severity, []).append(label)
    lines = [
        f"- `{severity}` from {', '.join(f'`{label}`' for label in labels)}" for severity, labels in by_severity.items()
    ]
    return (
        "Alertmanager's webhook payload, version 4 (`send_resolved: true`). Each alert becomes a platform alert: "
        "**service** from the `service` label, else `job`, else `alertname`; **message** from the `summary` and "
        "`description` annotations, else the alert name; every label kept; the alert's `fingerprint` as the "
        "dedup key (Alertmanager's repeats are not stored again); the time from `startsAt`.\n\n"
        "**Severity** from the `severity` label (case-insensitive):\n"
        + "\n".join(lines)
        + f"\n- `{alertmanager.MISSING_SEVERITY}` when the label is missing or empty, "
        f"`{alertmanager.UNKNOWN_SEVERITY}` for any other value.\n\n"
        "A **resolved** alert resolves the alert it opened (`resolved_at` from `endsAt`); an incident whose alerts "
        "are all resolved by their source is resolved (timeline `alert_resolved`, then `resolved` by `alertmanager`). "
        "The whole payload is validated before anything is stored: a bad one gets 422 naming the alert and field.\n\n"
        "**Integration key**: send it with `http_config.authorization` (`type: Bearer`); its service and team, when "
        "it names them, apply to every alert (a wrong or revoked key is 401, required when INGEST_REQUIRE_KEY is on)."
    )


@blp.route("")
class AlertmanagerWebhook(MethodView):
    @auth.public
    @intake.checked
    @intake.document(blp)
    @blp.arguments(AlertmanagerWebhookSchema)
    @blp.response(200, WebhookResultSchema, description="Every alert of the payload stored or resolved")
    @blp.doc(description=_mapping_description())
    def post(self, payload):
        """Receive an Alertmanager notification: firing alerts become alerts, resolved ones resolve them"""
        now = dt.datetime.now(dt.UTC)
        planned = _validate(payload["alerts"], now)
        outcomes = [_process(alert, status, platform_alert, now) for alert, status, platform_alert in planned]
        if payload["truncated_alerts"]:
            log.warning("Alertmanager left %d alerts out of a notification (max_alerts)", payload["truncated_alerts"])
        return {
            "received": len(outcomes),
            "firing": sum(1 for outcome in outcomes if outcome["status"] == "firing"),
            "resolved": sum(1 for outcome in outcomes if outcome["status"] == "resolved"),
            "truncated_alerts": payload["truncated_alerts"],
            "alerts": outcomes,
        }


def _validate(alerts, now):
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
                platform_alert = _ALERT_SCHEMA.load(alertmanager.to_platform_alert(alert))
            except ma.ValidationError as invalid:
                errors[index] = invalid.messages
                continue
        planned.append((alert, status, platform_alert))
    if errors:
        fields = ", ".join(f"alerts[{index}].{field}" for index, problem in errors.items() for field in problem)
        raise Invalid(f"invalid alerts in the payload: {fields}", errors={"json": {"alerts": errors}})
    return planned


def _process(alert, status, platform_alert, now):
    fingerprint = alert.get("fingerprint") or alertmanager.fingerprint(alert["labels"])
    if status == "firing":
        try:
            body, _code = accept_alert(platform_alert, source=alertmanager.SOURCE)
        except Conflict:  # its resolution raced this repeat: once more decides (a 4xx is never retried)
            body, _code = accept_alert(platform_alert, source=alertmanager.SOURCE)
        return {"fingerprint": fingerprint, "status": status, **body}
    outcome = source_resolution.resolve(fingerprint, alertmanager.SOURCE, alertmanager.resolved_at(alert, now))
    return {"fingerprint": fingerprint, "status": status, "duplicate": False, **outcome}
