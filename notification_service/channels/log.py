"""The log channel (the default): a line on the console and a JSON line in the notification log file."""

import datetime as dt
import json
import logging
import os
import tempfile

from notification_service.channels.common import DeliveryError
from servicekit.config import ConfigError

log = logging.getLogger("notification_service.log_channel")


def default_path():
    """Beside the stack's other logs when run by the native stack, else in the temp folder."""
    state_dir = os.environ.get("STATE_DIR")
    if state_dir:
        return os.path.join(state_dir, "logs", "notifications.log")
    return os.path.join(tempfile.gettempdir(), "notifications.log")


def init_app(app):
    path = app.config.get("NOTIFICATION_LOG_FILE") or default_path()
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"setting NOTIFICATION_LOG_FILE: cannot create the folder of {path}: {exc}") from exc
    app.config["NOTIFICATION_LOG_FILE"] = path


def send(app, notification, _timeout):
    path = app.config["NOTIFICATION_LOG_FILE"]
    log.info(
        "NOTIFY %s (incident %s): %s",
        notification["recipient"],
        notification["incident_id"],
        notification.get("subject") or notification["message"],
    )
    entry = {
        "time": dt.datetime.now(dt.UTC).isoformat(),
        "notification_id": str(notification["id"]),
        "incident_id": str(notification["incident_id"]) if notification.get("incident_id") else None,
        "recipient": notification["recipient"],
        "subject": notification.get("subject"),
        "message": notification["message"],
    }
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
    try:
        # One write() on an O_APPEND descriptor: lines of several workers never interleave.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
    except OSError as exc:
        raise DeliveryError(f"cannot write the notification log {path}: {exc.strerror or exc}") from exc
