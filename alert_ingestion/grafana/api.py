"""The Grafana webhook receiver: `POST /api/v1/alerts/grafana`.

Add a Webhook contact point in Grafana with this URL. Firing alerts go through the same path as
`POST /api/v1/alerts`; a resolved one resolves the alert its fingerprint opened.
"""

from flask.views import MethodView

from alert_ingestion import intake, notification_batch
from alert_ingestion.alertmanager_schemas import WebhookResultSchema
from alert_ingestion.grafana import mapping
from alert_ingestion.grafana.schemas import GrafanaWebhookSchema
from servicekit import auth
from servicekit.blueprint import Blueprint

blp = Blueprint(
    "grafana",
    __name__,
    url_prefix="/api/v1/alerts/grafana",
    description="Grafana unified alerting's webhook contact point",
)

DESCRIPTION = (
    "Grafana's webhook payload, version 1. Each alert becomes a platform alert as an Alertmanager alert does "
    "(**service** from the `service` label, else `job`, else `alertname`; **severity** from the `severity` label; "
    "**message** from the `summary` and `description` annotations), deduplicated by its `fingerprint`; each of "
    "`values` is kept as a `values.<refId>` label; the annotations' URLs, `generatorURL`, `dashboardURL`, "
    "`panelURL` and `silenceURL` are kept as links and `imageURL` as an image. A **resolved** alert resolves "
    "the alert it opened. The whole payload is validated before anything is stored: a bad one gets 422 naming "
    "the alert and field.\n\n"
    "**Credential**: the integration key as the Bearer credential (Authorization header, scheme `Bearer`) or as "
    "the Basic auth password (any user name). **Signature**: when the key has a signing secret, the request "
    "must carry Grafana's HMAC-SHA256 signature (lower-case hex of the body, or of `<timestamp>:<body>` when a "
    "timestamp header is configured) in `X-Grafana-Alerting-Signature` or `X-Grafana-Alert-Signature` (or the "
    "key's own header name); a missing or wrong signature is 401."
)


@blp.route("")
class GrafanaWebhook(MethodView):
    @auth.public
    @intake.checked
    @intake.document(blp)
    @blp.arguments(GrafanaWebhookSchema)
    @blp.response(200, WebhookResultSchema, description="Every alert of the payload stored or resolved")
    @blp.doc(description=DESCRIPTION)
    def post(self, payload):
        """Receive a Grafana alerting notification: firing alerts become alerts, resolved ones resolve them"""
        return notification_batch.receive(payload, mapping.to_platform_alert, mapping.SOURCE)
