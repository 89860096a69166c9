-- owner: alert_ingestion
-- Fixed-window request counters of alert ingestion's rate limits, shared by every worker and replica.
-- depends: 0110_integration_keys

-- One row per bucket (`key:<integration key id>` or `addr:<client address>`) and window; each request adds
-- one with an upsert that returns the new count, so several workers never count a request twice or lose one.
-- Unlogged: counters are worthless after a crash (the window is over by then), so they skip the WAL.
CREATE TABLE ingest_rate_windows (
    bucket       text NOT NULL CHECK (length(bucket) BETWEEN 1 AND 100),
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL CHECK (hits > 0),
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX ingest_rate_windows_window_start_idx ON ingest_rate_windows (window_start);
ALTER TABLE ingest_rate_windows SET UNLOGGED;
