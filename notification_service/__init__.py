"""Notification service (port 8004): delivers notifications over channels and keeps the delivery log."""

from notification_service import channels, delivery, metrics
from notification_service.api import blp
from servicekit import auth, background, create_service_app
from servicekit.config import ConfigError
from servicekit.metrics import DatabaseGauge, add_collector

SETTINGS = {
    # Log channel: one JSON line per notification; default $STATE_DIR/logs/notifications.log (or the temp dir).
    "NOTIFICATION_LOG_FILE": "",
    # The request tries once with a short timeout; the relay retries with a longer one.
    "NOTIFICATION_SYNC_TIMEOUT": 3.0,
    "NOTIFICATION_RELAY_TIMEOUT": 10.0,
    # The relay leaves a new notification to its request for this long (covers a request that dies mid-send).
    "NOTIFICATION_SYNC_GRACE_SECONDS": 15.0,
    "NOTIFICATION_RELAY_INTERVAL": 1.0,
    "NOTIFICATION_RELAY_BATCH": 20,
    # Retries: base * 2^(attempt-1) seconds, capped; failed after max attempts (default about 4 minutes in all).
    "NOTIFICATION_MAX_ATTEMPTS": 8,
    "NOTIFICATION_RETRY_BASE_SECONDS": 2.0,
    "NOTIFICATION_RETRY_MAX_SECONDS": 300.0,
    # Generic webhooks are signed (X-Signature-256: sha256=<HMAC of the body>) when a secret is set.
    "NOTIFICATION_WEBHOOK_SECRET": "",
    # Webhook and chat destinations must be public addresses unless listed here (names, addresses or CIDRs).
    "WEBHOOK_ALLOWED_HOSTS": "",
    # Link to the incident in e-mails, chat and webhooks, e.g. http://localhost:8080/incidents/{incident_id}.
    "NOTIFICATION_INCIDENT_URL": "",
    # Per contact method: at most count sends per seconds, by kind (sms, voice, push, chat, email, webhook, log).
    "NOTIFICATION_RATE_LIMITS": "sms:1/60,voice:3/900",
    # A page with the fold key of one still pending or sent this recently folds into it (same incident and step).
    "NOTIFICATION_FOLD_SECONDS": 300.0,
    "SMTP_HOST": "localhost",
    "SMTP_PORT": 25,
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_FROM": "incidents@localhost",
    "SMTP_STARTTLS": False,
    "SMTP_SSL": False,
    "SMTP_CA_FILE": "",  # trust this CA bundle for STARTTLS/SSL instead of the system's
}


def create_app(test_config=None):
    app, api = create_service_app(__name__, "Notifications", SETTINGS, test_config)
    if app.config["NOTIFICATION_MAX_ATTEMPTS"] < 1:
        raise ConfigError("setting NOTIFICATION_MAX_ATTEMPTS must be at least 1")
    api.register_blueprint(blp)
    channels.init_app(app)
    delivery.init_app(app)
    add_collector(
        app,
        DatabaseGauge(
            app,
            "notifications_pending",
            "Notifications stored but not delivered yet (waiting for a retry), by channel",
            ["channel"],
            metrics.PENDING_BY_CHANNEL_QUERY,
            expected=[(channel,) for channel in channels.CHANNELS],
        ),
    )
    add_collector(
        app,
        DatabaseGauge(
            app,
            "notifications_oldest_pending_age_seconds",
            "Age of the oldest notification still waiting for delivery (0 when none waits)",
            [],
            metrics.OLDEST_PENDING_AGE_QUERY,
        ),
    )
    background.register(app, "notification-relay", delivery.relay_pending, app.config["NOTIFICATION_RELAY_INTERVAL"])
    auth.check_policies(app)  # every view says who may call it, or the service does not start
    return app
