"""The apprise channel: the recipient is an Apprise URL (ntfy, Teams, Pushover, Twilio SMS, ...); Apprise delivers.

Every connection a plugin opens passes servicekit.outbound_guard (WEBHOOK_ALLOWED_HOSTS, as for webhooks),
the urgency becomes the service's own priority (apprise_urls.with_urgency), and the reasons Apprise gives
for a failure reach the delivery log with the URL's secrets masked.
"""

import apprise

from notification_service.channels import apprise_urls
from notification_service.channels.common import DeliveryError, incident_link, title_of
from servicekit import outbound, outbound_guard

_EXTENSION = "notification_service.apprise"
# Client errors that may pass: timeout, conflict/too early, rate limited. Other 4xx will not change on retry.
_RETRYABLE_4XX = {408, 409, 425, 429}
_NOTIFY_TYPES = {"high": apprise.NotifyType.FAILURE, "low": apprise.NotifyType.INFO}


def init_app(app, targets=outbound_guard.system_targets):
    """`targets(host, port)` resolves the names plugins connect to (tests point fixed API hosts at local fakes)."""
    policy = outbound.Policy.from_setting(app.config.get(outbound.SETTING, ""))
    app.extensions[_EXTENSION] = {"policy": policy, "targets": targets}


def body_of(config, notification):
    link = incident_link(config, notification["incident_id"])
    return notification["message"] + (f"\n\nIncident: {link}" if link else "")


def plugin_for(notification, timeout):
    """A fresh plugin for this one attempt (Apprise keeps per-instance state), with the urgency's priority."""
    url = apprise_urls.with_urgency(notification["recipient"], notification.get("urgency") or "high")
    try:
        plugin = apprise_urls.load(url)
    except apprise_urls.InvalidURL as exc:  # checked when it was stored; Apprise may have changed since
        raise DeliveryError(str(exc), permanent=True) from exc
    plugin.socket_connect_timeout = timeout
    plugin.socket_read_timeout = timeout
    return plugin


def send(app, notification, timeout):
    plugin = plugin_for(notification, timeout)
    settings = app.extensions[_EXTENSION]
    urgency = notification.get("urgency") or "high"
    with (
        outbound_guard.guarded(settings["policy"], settings["targets"]) as guard,
        apprise_urls.Warnings() as warnings,
    ):
        delivered = plugin.notify(
            body=body_of(app.config, notification),
            title=title_of(notification),
            notify_type=_NOTIFY_TYPES.get(urgency, apprise.NotifyType.INFO),
        )
    if guard.refused:  # the allow-list will not change on retry
        raise DeliveryError(f"destination refused: {guard.refused[0]}", permanent=True)
    if not delivered:
        reason = warnings.last() or "no reason given"
        service = apprise_urls.SERVICES[apprise_urls.scheme_of(notification["recipient"])]
        code = guard.statuses[-1] if guard.statuses else None  # the service's last answer
        permanent = code is not None and 400 <= code < 500 and code not in _RETRYABLE_4XX
        masked = apprise_urls.mask_text(reason, notification["recipient"])
        raise DeliveryError(f"{service} did not take it: {masked}", permanent=permanent)
