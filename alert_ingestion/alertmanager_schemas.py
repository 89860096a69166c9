"""Alertmanager's webhook payload (version 4) and the receiver's answer.

Only what the receiver needs is required (`alerts`, each with `labels`), so
payloads of older Alertmanagers (without `fingerprint`, `groupKey`,
`truncatedAlerts` or `notification_reason`) are accepted; unknown fields of
newer ones are ignored.
"""

import datetime as dt

import marshmallow as ma

from servicekit.fields import Timestamp

STATUSES = ("firing", "resolved")
_UTC = dt.UTC


def _string_map(**kwargs):
    return ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), **kwargs)


class AlertmanagerAlertSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    labels = _string_map(required=True)
    annotations = _string_map(load_default=dict)
    starts_at = Timestamp(window=None, data_key="startsAt")
    ends_at = Timestamp(window=None, data_key="endsAt", metadata={"description": "0001-01-01T00:00:00Z: not ended"})
    generator_url = ma.fields.String(data_key="generatorURL")
    fingerprint = ma.fields.String(
        validate=ma.validate.Length(min=1, max=255),
        metadata={"description": "Computed from the labels, as Alertmanager does, when absent"},
    )


class AlertmanagerWebhookSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    version = ma.fields.String(
        validate=ma.validate.Equal("4", error="Only version 4 of Alertmanager's webhook payload is supported.")
    )
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    receiver = ma.fields.String()
    alerts = ma.fields.List(
        ma.fields.Nested(AlertmanagerAlertSchema), required=True, validate=ma.validate.Length(min=1)
    )
    group_labels = _string_map(data_key="groupLabels")
    common_labels = _string_map(data_key="commonLabels")
    common_annotations = _string_map(data_key="commonAnnotations")
    external_url = ma.fields.String(data_key="externalURL")
    group_key = ma.fields.String(data_key="groupKey")
    truncated_alerts = ma.fields.Integer(data_key="truncatedAlerts", load_default=0, validate=ma.validate.Range(min=0))


class AlertOutcomeSchema(ma.Schema):
    fingerprint = ma.fields.String()
    status = ma.fields.String(metadata={"description": "firing or resolved, as Alertmanager sent it"})
    alert_id = ma.fields.UUID(allow_none=True)
    incident_id = ma.fields.UUID(allow_none=True)
    result = ma.fields.String(
        metadata={
            "description": "Firing: new_incident, existing_incident or pending (as POST /api/v1/alerts). "
            "Resolved: resolved, or not_firing when no firing alert holds the fingerprint "
            "(already resolved, or never received)."
        }
    )
    duplicate = ma.fields.Boolean(metadata={"description": "A repeat of an alert that is already firing"})
    incident_status = ma.fields.String(
        allow_none=True, metadata={"description": "Resolved alerts: the incident's status after the resolution"}
    )


class WebhookResultSchema(ma.Schema):
    received = ma.fields.Integer()
    firing = ma.fields.Integer()
    resolved = ma.fields.Integer()
    truncated_alerts = ma.fields.Integer(
        metadata={"description": "Alerts Alertmanager left out of the payload (its max_alerts setting)"}
    )
    alerts = ma.fields.List(ma.fields.Nested(AlertOutcomeSchema), metadata={"description": "In payload order"})
