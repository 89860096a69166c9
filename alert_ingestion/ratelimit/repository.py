"""SQL of the rate limit counters. Functions take a cursor and never commit."""

# Count one request in each bucket's current window (buckets in a fixed order, so that concurrent requests
# lock rows in the same order) and return each new count with the seconds left in the window.
COUNT_REQUEST = """
WITH now_window AS (
    SELECT to_timestamp(floor(extract(epoch FROM now()) / %(window)s) * %(window)s) AS start
)
INSERT INTO ingest_rate_windows AS w (bucket, window_start, hits)
SELECT bucket, now_window.start, 1
FROM unnest(%(buckets)s::text[]) WITH ORDINALITY AS b (bucket, position), now_window
ORDER BY position
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = w.hits + 1
RETURNING w.bucket, w.hits,
          GREATEST(1, ceil(extract(epoch FROM w.window_start + make_interval(secs => %(window)s) - now())))::int
              AS retry_after
"""

# Windows that are over: nobody reads them again.
DELETE_OLD_WINDOWS = """
DELETE FROM ingest_rate_windows WHERE window_start < now() - make_interval(secs => 2 * %(window)s)
"""


def count_request(cur, buckets, window_seconds):
    """{bucket: (hits in the current window, seconds until it ends)} after counting this request."""
    cur.execute(COUNT_REQUEST, {"buckets": sorted(buckets), "window": window_seconds})
    return {row["bucket"]: (row["hits"], row["retry_after"]) for row in cur.fetchall()}


def delete_old_windows(cur, window_seconds):
    cur.execute(DELETE_OLD_WINDOWS, {"window": window_seconds})
    return cur.rowcount
