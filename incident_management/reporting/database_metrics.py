"""Metrics computed from the database at every scrape: SPEC's incidents_total, and what dashboards and rules read.

True after restarts and the same on every replica (dashboards take `max`
across instances, never `sum`). Label values are bounded: severities,
statuses, and at most SERVICES_SHOWN services.
"""

from incident_management.lifecycle.rules import SEVERITIES, STATUSES
from servicekit.metrics import DatabaseCounter, DatabaseGauge, add_collector

UNRESOLVED = tuple(status for status in STATUSES if status != "resolved")
SERVICES_SHOWN = 20  # the LIMIT of OPENED_LAST_24H_BY_SERVICE_QUERY

# Incidents by current status (SPEC's incidents_total).
BY_STATUS_QUERY = "SELECT status, count(*) FROM incidents GROUP BY status"

# Unresolved incidents by severity and status.
UNRESOLVED_QUERY = """
SELECT severity, status, count(*) FROM incidents WHERE status <> 'resolved' GROUP BY severity, status
"""

# Age of the oldest incident nobody has acknowledged yet, by severity.
OLDEST_UNACKNOWLEDGED_QUERY = """
SELECT severity, EXTRACT(EPOCH FROM now() - min(created_at)) FROM incidents WHERE status = 'open' GROUP BY severity
"""

# Every incident ever opened, by severity: a counter (rows are never deleted), so increase() gives volumes.
OPENED_QUERY = "SELECT severity, count(*) FROM incidents GROUP BY severity"

# The noisiest services of the last 24 hours.
OPENED_LAST_24H_BY_SERVICE_QUERY = """
SELECT service, count(*) AS incidents FROM incidents WHERE created_at >= now() - interval '24 hours'
GROUP BY service ORDER BY incidents DESC, service LIMIT 20
"""


def init_app(app):
    by_severity = [(severity,) for severity in SEVERITIES]
    collectors = [
        DatabaseGauge(
            app,
            "incidents_total",
            "Incidents by current status",
            ["status"],
            BY_STATUS_QUERY,
            expected=[(status,) for status in STATUSES],
        ),
        DatabaseGauge(
            app,
            "incidents_unresolved",
            "Incidents not resolved yet, by severity and status",
            ["severity", "status"],
            UNRESOLVED_QUERY,
            expected=[(severity, status) for severity in SEVERITIES for status in UNRESOLVED],
        ),
        DatabaseGauge(
            app,
            "incidents_unacknowledged_oldest_seconds",
            "Age of the oldest open (unacknowledged) incident, by severity; 0 when there is none",
            ["severity"],
            OLDEST_UNACKNOWLEDGED_QUERY,
            expected=by_severity,
        ),
        DatabaseCounter(
            app,
            "incidents_opened",
            "Incidents opened since the platform began, by severity",
            ["severity"],
            OPENED_QUERY,
            expected=by_severity,
        ),
        DatabaseGauge(
            app,
            "incidents_opened_last_24h",
            f"Incidents opened in the last 24 hours by service (the {SERVICES_SHOWN} noisiest)",
            ["service"],
            OPENED_LAST_24H_BY_SERVICE_QUERY,
        ),
    ]
    for collector in collectors:
        add_collector(app, collector)
