"""SQL of the rate limit counters. Functions take a cursor and never commit."""

# Claim `amounts` more requests in each bucket's current window (buckets in a fixed order, so that concurrent
# claims lock rows in the same order); returns each bucket's claimed total with the window's end and the seconds
# left in it. `hits` counts what workers have claimed, so it may pass the limit: the caller grants what fits.
CLAIM_REQUESTS = """
WITH now_window AS (
    SELECT to_timestamp(floor(extract(epoch FROM now()) / %(window)s) * %(window)s) AS start
)
INSERT INTO ingest_rate_windows AS w (bucket, window_start, hits)
SELECT bucket, now_window.start, amount
FROM unnest(%(buckets)s::text[], %(amounts)s::int[]) WITH ORDINALITY AS b (bucket, amount, position), now_window
ORDER BY position
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = w.hits + EXCLUDED.hits
RETURNING w.bucket, w.hits,
          extract(epoch FROM w.window_start)::float8 + %(window)s AS window_end,
          GREATEST(1, ceil(extract(epoch FROM w.window_start + make_interval(secs => %(window)s) - now())))::int
              AS retry_after
"""

# Windows that are over: nobody reads them again.
DELETE_OLD_WINDOWS = """
DELETE FROM ingest_rate_windows WHERE window_start < now() - make_interval(secs => 2 * %(window)s)
"""


def claim_requests(cur, amounts, window_seconds):
    """{bucket: (claimed in the current window, this one included; window end as epoch; seconds left)}."""
    buckets = sorted(amounts)
    params = {"buckets": buckets, "amounts": [amounts[b] for b in buckets], "window": window_seconds}
    cur.execute(CLAIM_REQUESTS, params)
    return {row["bucket"]: (row["hits"], row["window_end"], row["retry_after"]) for row in cur.fetchall()}


def delete_old_windows(cur, window_seconds):
    cur.execute(DELETE_OLD_WINDOWS, {"window": window_seconds})
    return cur.rowcount
