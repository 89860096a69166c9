"""The on-call service's own metrics (module level: one set per process, aggregated across workers)."""

from prometheus_client import Counter

escalations = Counter("escalations_total", "Incidents escalated to the next person on call, by team", ["team"])
notifications_sent = Counter(
    "oncall_notifications_sent_total",
    "Notifications the on-call service caused (escalation pages handed to incident management), by channel",
    ["channel"],
)


def count_escalation(record, answer, channel):
    """Count a committed escalation and the page that incident management queued for it."""
    escalations.labels(team=record["team"]).inc()
    if answer.get("notification"):
        notifications_sent.labels(channel=answer["notification"].get("channel") or channel).inc()
