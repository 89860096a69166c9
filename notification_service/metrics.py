"""The notification service's own metrics (module level: one set per process, aggregated across workers)."""

from prometheus_client import Counter

from notification_service.channels import CHANNELS

notifications_sent = Counter(
    "notifications_sent_total",
    "Notifications delivered (status=sent) or given up on after their last attempt (status=failed), by channel",
    ["channel", "status"],
)
notification_attempts = Counter(
    "notification_attempts_total",
    "Delivery attempts, by channel and result (sent, error); errors are retried until the last attempt",
    ["channel", "result"],
)

for _channel in CHANNELS:
    for _status in ("sent", "failed"):
        notifications_sent.labels(channel=_channel, status=_status)
    for _result in ("sent", "error"):
        notification_attempts.labels(channel=_channel, result=_result)

# Read from the database at scrape time (see servicekit.metrics.DatabaseGauge): true across replicas.
PENDING_BY_CHANNEL_QUERY = "SELECT channel, count(*) FROM notifications WHERE status = 'pending' GROUP BY channel"
OLDEST_PENDING_AGE_QUERY = """
SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) FROM notifications WHERE status = 'pending'
"""


def observe_attempt(notification):
    """Count one committed attempt from the row it left; a notification counts once, as sent or failed."""
    channel, status = notification["channel"], notification["status"]
    notification_attempts.labels(channel=channel, result="sent" if status == "sent" else "error").inc()
    if status in ("sent", "failed"):
        notifications_sent.labels(channel=channel, status=status).inc()
