"""Chat incoming webhooks in Slack's format ({text, blocks}); Mattermost and Rocket.Chat accept it too."""

from notification_service.channels import actions
from notification_service.channels.common import incident_link, title_of
from notification_service.channels.webhook import post_json

# Slack's limits: header text 150 characters, section text 3000.
_HEADER_MAX = 150
_SECTION_MAX = 3000


def escape(text):
    """Slack mrkdwn treats &, < and > as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def payload(config, notification):
    title = title_of(notification, _HEADER_MAX)
    message = escape(notification["message"])
    if len(message) > _SECTION_MAX:
        message = message[: _SECTION_MAX - 1] + "…"
    link = incident_link(config, notification["incident_id"])
    incident = f"Incident `{notification['incident_id']}`"
    if link:
        incident = f"<{link}|Open the incident> · {incident}"
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}},
        {"type": "section", "text": {"type": "mrkdwn", "text": message}},
    ]
    links = actions.of(notification)
    if links:
        blocks.append(actions.slack_block(links))
    if notification.get("incident_id"):
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": incident}]})
    return {
        "text": f"{title}: {notification['message']}"[:_SECTION_MAX],  # fallback for notifications and old clients
        "blocks": blocks,
    }


def send(app, notification, timeout):
    post_json(app, notification, payload(app.config, notification), timeout)
