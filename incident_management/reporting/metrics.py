"""Incident management's own metrics."""

from prometheus_client import Histogram

from incident_management.lifecycle.rules import SEVERITIES

# From a few seconds to a day: on-call answers in minutes, fixes take up to hours.
_BUCKETS = (10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400)

incident_mtta = Histogram(
    "incident_mtta_seconds", "Time from an incident's creation to its acknowledgement", ["severity"], buckets=_BUCKETS
)
incident_mttr = Histogram(
    "incident_mttr_seconds", "Time from an incident's creation to its resolution", ["severity"], buckets=_BUCKETS
)
# Every severity exported from the start, so that increase() also counts a process's first observation.
for _severity in SEVERITIES:
    incident_mtta.labels(severity=_severity)
    incident_mttr.labels(severity=_severity)

# incidents_total{status} is read from the database at scrape time: see database_metrics.py.


def observe_change(before, after):
    """Record MTTA/MTTR when a change stamped them for the first time."""
    if before["mtta_seconds"] is None and after["mtta_seconds"] is not None:
        incident_mtta.labels(severity=after["severity"]).observe(after["mtta_seconds"])
    if before["mttr_seconds"] is None and after["mttr_seconds"] is not None:
        incident_mttr.labels(severity=after["severity"]).observe(after["mttr_seconds"])
