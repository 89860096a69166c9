-- owner: alert_ingestion
-- An alert may be held by its service's grouping rule (no incident yet), and incident management may move it
-- to another incident later: the reference it reports then wins over an older answer still being noted.
-- depends: 0191_alert_incident_reference

ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_correlation_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_correlation_check
    CHECK (correlation IN ('new_incident', 'existing_incident', 'held'));
-- When incident management last reported the alert's incident (a move or a release): answers older than that
-- (noted in batches off the request path) no longer change the reference.
ALTER TABLE alerts ADD COLUMN reference_changed_at timestamptz;
