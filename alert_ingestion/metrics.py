"""Alert ingestion's own metrics (module level: one set per process, aggregated across workers)."""

from prometheus_client import Counter, Histogram

from alert_ingestion.schemas import SEVERITIES

alerts_received = Counter(
    "alerts_received_total", "Valid alerts received, by severity (retries included)", ["severity"]
)
alerts_correlated = Counter(
    "alerts_correlated_total", "Alerts handed to an incident, by whether they opened it", ["result"]
)
alerts_deduplicated = Counter(
    "alerts_deduplicated_total", "Alerts not stored again because their dedup_key was already firing"
)
alert_deliveries_failed = Counter(
    "alert_deliveries_failed_total", "Attempts to hand an alert to incident management that failed", ["path"]
)
alerts_resolved = Counter(
    "alerts_resolved_total", "Alerts resolved by their source (e.g. Alertmanager's resolved notifications)", ["source"]
)
ingest_rate_limited = Counter(
    "alerts_rate_limited_total", "Ingestion requests refused with 429, by the limit they passed", ["scope"]
)
alerts_suppressed = Counter(
    "alerts_suppressed_total", "Alerts stored as suppressed by a maintenance window (no incident, no page)", ["source"]
)
alert_handoff_batch = Histogram(
    "alert_handoff_batch_size",
    "Alerts per call to incident management, by path (request: synchronous; later: after a 202; relay: outbox)",
    ["path"],
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
heartbeat_pings = Counter("heartbeat_pings_total", "Pings heartbeat monitors took")
heartbeat_alerts_opened = Counter(
    "heartbeat_alerts_opened_total", "Heartbeat monitors found overdue (each overdue spell opens one alert)"
)

for _severity in SEVERITIES:
    alerts_received.labels(severity=_severity)
for _result in ("new_incident", "existing_incident"):
    alerts_correlated.labels(result=_result)
for _source in ("alertmanager", "pagerduty", "grafana", "webhook", "heartbeat"):  # the sources that resolve alerts
    alerts_resolved.labels(source=_source)
for _path in ("request", "later", "relay"):
    alert_handoff_batch.labels(path=_path)
for _scope in ("key", "address"):
    ingest_rate_limited.labels(scope=_scope)

# Read from the database at scrape time (see servicekit.metrics.DatabaseGauge).
OUTBOX_PENDING_QUERY = "SELECT count(*) FROM alert_outbox"
HEARTBEATS_BY_STATUS_QUERY = """
SELECT CASE WHEN paused THEN 'paused' WHEN overdue THEN 'overdue' WHEN last_ping_at IS NULL THEN 'new' ELSE 'up' END,
       count(*)
FROM heartbeats GROUP BY 1
"""
HEARTBEAT_STATUSES = ("new", "up", "overdue", "paused")
