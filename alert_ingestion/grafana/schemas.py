"""Grafana's webhook payload (version 1), as its documentation publishes it.

It is Alertmanager's webhook payload with Grafana's additions: per alert `silenceURL`, `dashboardURL`,
`panelURL`, `imageURL` and `values`; per notification `orgId`, `title`, `state` and `message`. Unknown fields
of newer Grafanas are ignored.
"""

import marshmallow as ma

from alert_ingestion.alertmanager_schemas import AlertmanagerAlertSchema, AlertmanagerWebhookSchema


class GrafanaAlertSchema(AlertmanagerAlertSchema):
    silence_url = ma.fields.String(data_key="silenceURL")
    dashboard_url = ma.fields.String(data_key="dashboardURL")
    panel_url = ma.fields.String(data_key="panelURL")
    image_url = ma.fields.String(data_key="imageURL")
    values = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Float(allow_none=True),
        load_default=dict,
        metadata={"description": "The rule's query and expression values that set the state, by refId"},
    )


class GrafanaWebhookSchema(AlertmanagerWebhookSchema):
    version = ma.fields.String(
        validate=ma.validate.Equal("1", error="Only version 1 of Grafana's webhook payload is supported.")
    )
    alerts = ma.fields.List(ma.fields.Nested(GrafanaAlertSchema), required=True, validate=ma.validate.Length(min=1))
    org_id = ma.fields.Integer(data_key="orgId")
    title = ma.fields.String()
    state = ma.fields.String()
    message = ma.fields.String()
