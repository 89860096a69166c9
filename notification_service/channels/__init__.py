"""Delivery channels. Each sender takes (app, notification, timeout) and returns, or raises DeliveryError."""

from notification_service.channels import apprise_channel, log, slack, smtp, webhook
from notification_service.channels.common import DeliveryError

SENDERS = {
    "log": log.send,
    "webhook": webhook.send,
    "email": smtp.send,
    "slack": slack.send,
    "apprise": apprise_channel.send,
}
CHANNELS = tuple(SENDERS)
DEFAULT_CHANNEL = "log"

__all__ = ["CHANNELS", "DEFAULT_CHANNEL", "DeliveryError", "init_app", "send"]


def init_app(app):
    log.init_app(app)
    webhook.init_app(app)
    apprise_channel.init_app(app)


def send(app, notification, timeout):
    """Deliver one stored notification over its channel (one attempt)."""
    SENDERS[notification["channel"]](app, notification, timeout)
