"""Aggregates over a time range for the dashboard: counts by status, mean MTTA/MTTR, trends."""

import datetime as dt

from incident_management.lifecycle.rules import STATUSES

# Incidents opened in the range, by their current status, with mean MTTA and MTTR.
SELECT_TOTALS = """
SELECT status, count(*) AS incidents, avg(mtta_seconds) AS mtta, avg(mttr_seconds) AS mttr,
       count(mtta_seconds) AS acknowledged, count(mttr_seconds) AS resolved
FROM incidents
WHERE (%(since)s::timestamptz IS NULL OR created_at >= %(since)s) AND created_at < %(until)s
  AND (%(service)s::text IS NULL OR service = %(service)s)
GROUP BY status
"""

# Incident volume and mean MTTA/MTTR per service, noisiest first.
SELECT_BY_SERVICE = """
SELECT service, count(*) AS incidents, avg(mtta_seconds) AS mtta_seconds_avg, avg(mttr_seconds) AS mttr_seconds_avg
FROM incidents
WHERE (%(since)s::timestamptz IS NULL OR created_at >= %(since)s) AND created_at < %(until)s
  AND (%(service)s::text IS NULL OR service = %(service)s)
GROUP BY service
ORDER BY incidents DESC, service
LIMIT 20
"""

# Incident volume per severity.
SELECT_BY_SEVERITY = """
SELECT severity, count(*) AS incidents
FROM incidents
WHERE (%(since)s::timestamptz IS NULL OR created_at >= %(since)s) AND created_at < %(until)s
  AND (%(service)s::text IS NULL OR service = %(service)s)
GROUP BY severity
"""

# One row per hour or day of the range (empty buckets included), oldest first.
SELECT_SERIES = """
SELECT b.bucket_start, count(i.id) AS incidents,
       avg(i.mtta_seconds) AS mtta_seconds_avg, avg(i.mttr_seconds) AS mttr_seconds_avg
FROM generate_series(date_trunc(%(bucket)s, %(series_since)s::timestamptz), %(until)s::timestamptz,
                     make_interval(hours => %(hours)s)) AS b(bucket_start)
LEFT JOIN incidents i
  ON i.created_at >= b.bucket_start AND i.created_at < b.bucket_start + make_interval(hours => %(hours)s)
 AND i.created_at >= %(series_since)s AND i.created_at < %(until)s
 AND (%(service)s::text IS NULL OR i.service = %(service)s)
GROUP BY b.bucket_start
ORDER BY b.bucket_start
"""

BUCKET_HOURS = {"hour": 1, "day": 24}
DEFAULT_SERIES_RANGE = dt.timedelta(days=7)
MAX_BUCKETS = 1000


def incident_stats(cur, since, until, bucket, service=None):
    """Stats of incidents opened in [since, until).

    The series covers the same range, but at most MAX_BUCKETS buckets back from
    `until`, and the last 7 days when `since` is open.
    """
    series_since = series_start(since, until, bucket)
    params = {
        "since": since,
        "until": until,
        "service": service,
        "bucket": bucket,
        "series_since": series_since,
        "hours": BUCKET_HOURS[bucket],
    }
    cur.execute(SELECT_TOTALS, params)
    totals = cur.fetchall()
    cur.execute(SELECT_BY_SERVICE, params)
    by_service = cur.fetchall()
    cur.execute(SELECT_BY_SEVERITY, params)
    by_severity = cur.fetchall()
    cur.execute(SELECT_SERIES, params)
    series = cur.fetchall()
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({row["status"]: row["incidents"] for row in totals})
    return {
        "since": since,
        "until": until,
        "bucket": bucket,
        "series_since": series_since,
        "counts": counts,
        "total": sum(counts.values()),
        "mtta_seconds_avg": _weighted_mean(totals, "mtta", "acknowledged"),
        "mttr_seconds_avg": _weighted_mean(totals, "mttr", "resolved"),
        "by_service": by_service,
        "by_severity": by_severity,
        "series": series,
    }


def series_start(since, until, bucket):
    earliest = until - (MAX_BUCKETS - 1) * dt.timedelta(hours=BUCKET_HOURS[bucket])
    return max(since or until - DEFAULT_SERIES_RANGE, earliest)


def _weighted_mean(rows, mean_column, count_column):
    """Combine per-status means into one mean over every incident that has the value."""
    total = sum(row[count_column] for row in rows)
    if not total:
        return None
    return sum(row[mean_column] * row[count_column] for row in rows if row[count_column]) / total
