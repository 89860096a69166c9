"""The apprise channel: the recipient is an Apprise URL (ntfy, Teams, Pushover, Twilio SMS, ...); Apprise delivers.

Every connection a plugin opens passes servicekit.outbound_guard (WEBHOOK_ALLOWED_HOSTS, as for webhooks),
the urgency becomes the service's own priority (apprise_urls.with_urgency), and the reasons Apprise gives
for a failure reach the delivery log with the URL's secrets masked.
"""

import contextlib

import apprise
from apprise.plugins.workflows import NotifyWorkflows

from notification_service.channels import actions, apprise_urls, teams_card
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


def body_of(config, notification, with_links):
    link = incident_link(config, notification["incident_id"])
    body = notification["message"] + (f"\n\nIncident: {link}" if link else "")
    links = actions.of(notification)
    return body + (f"\n\n{actions.as_text(links)}" if links and with_links else "")


def plugin_for(notification, timeout):
    """A fresh plugin for this one attempt (Apprise keeps per-instance state), with the urgency's priority.

    Returns (plugin, whether it shows the action links as buttons).
    """
    url = apprise_urls.with_urgency(notification["recipient"], notification.get("urgency") or "high")
    links = actions.of(notification)
    family = apprise_urls.scheme_of(url).rstrip("s")
    if links and family == "ntfy":
        url = apprise_urls.with_option(url, "actions", actions.ntfy_header(links))
    try:
        plugin = apprise_urls.load(url)
    except apprise_urls.InvalidURL as exc:  # checked when it was stored; Apprise may have changed since
        raise DeliveryError(str(exc), permanent=True) from exc
    plugin.socket_connect_timeout = timeout
    plugin.socket_read_timeout = timeout
    buttons = bool(links) and family in ("ntfy", "workflow")
    return plugin, buttons


def send(app, notification, timeout):
    plugin, buttons = plugin_for(notification, timeout)
    settings = app.extensions[_EXTENSION]
    urgency = notification.get("urgency") or "high"
    with contextlib.ExitStack() as stack:
        if buttons and isinstance(plugin, NotifyWorkflows):
            teams_card.use_for(stack, plugin, actions.adaptive_card_actions(actions.of(notification)))
        _deliver(app, plugin, notification, urgency, settings, with_links=not buttons)


def _deliver(app, plugin, notification, urgency, settings, with_links):
    with (
        outbound_guard.guarded(settings["policy"], settings["targets"]) as guard,
        apprise_urls.Warnings() as warnings,
    ):
        delivered = plugin.notify(
            body=body_of(app.config, notification, with_links),
            title=title_of(notification) if notification.get("subject") else "",  # no first line twice
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
