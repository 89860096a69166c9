"""Metrics of outgoing webhooks (labels bounded: the event types and three outcomes)."""

from prometheus_client import Counter

from incident_management.webhooks.rules import EVENT_TYPES, TEST_EVENT

OUTCOMES = ("delivered", "retrying", "failed")

webhook_deliveries = Counter(
    "webhook_deliveries_total",
    "Attempts to deliver incident events to webhook subscriptions, by event and outcome",
    ["event", "status"],
)
for _event in (*EVENT_TYPES, TEST_EVENT):
    for _outcome in OUTCOMES:
        webhook_deliveries.labels(event=_event, status=_outcome)
