"""What every channel shares: the delivery error and the wording of a notification."""


class DeliveryError(Exception):
    """One attempt failed. `permanent` means retrying cannot help (the receiver refused the notification)."""

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.permanent = permanent


def incident_link(config, incident_id):
    """The incident's page when NOTIFICATION_INCIDENT_URL is set (a template with {incident_id}), else None."""
    template = config.get("NOTIFICATION_INCIDENT_URL")
    return template.format(incident_id=incident_id) if template and incident_id else None


def title_of(notification, max_length=150):
    """The subject, or the message's first line when there is none, cut to `max_length`."""
    title = notification.get("subject") or notification["message"].strip().splitlines()[0]
    return title if len(title) <= max_length else title[: max_length - 1] + "…"
