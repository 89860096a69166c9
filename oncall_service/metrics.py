"""The on-call service's own metrics (module level: one set per process, aggregated across workers).

escalations_total{team} is incident management's: escalation runs there, beside the incidents.
"""

from prometheus_client import Counter

notifications_sent = Counter(
    "oncall_notifications_sent_total",
    "Pages of manual escalations (POST /api/v1/escalate) that incident management queued, by channel",
    ["channel"],
)
