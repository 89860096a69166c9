"""The Alertmanager webhook receiver: `POST /api/v1/alerts/alertmanager`.

Point an Alertmanager `webhook_configs` entry here with `send_resolved: true`.
Firing alerts go through the same path as `POST /api/v1/alerts`
(`accept_alert`); resolved ones resolve the alert they opened, and the
incident once all of its alerts are resolved.
"""

from flask.views import MethodView

from alert_ingestion import alertmanager, intake, notification_batch
from alert_ingestion.alertmanager_schemas import AlertmanagerWebhookSchema, WebhookResultSchema
from servicekit import auth
from servicekit.blueprint import Blueprint

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
        return notification_batch.receive(payload, alertmanager.to_platform_alert, alertmanager.SOURCE)
