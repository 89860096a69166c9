-- owner: alert_ingestion
-- Maintenance windows: for a service, a team or both, once or every day or week. An alert that arrives in one
-- is stored as `suppressed` (visible, naming the window) and handed to nobody: no incident, no page.
-- depends: 0001_alerts 0133_ingestion_audit 0191_alert_incident_reference

-- The first occurrence is [starts_at, ends_at); `recurrence` repeats it every day or week (fixed periods of
-- 86400 or 604800 seconds, so in UTC) until `repeat_until`, when set.
CREATE TABLE maintenance_windows (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    service      text CHECK (length(service) BETWEEN 1 AND 200),
    team         text CHECK (length(team) BETWEEN 1 AND 200),
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    recurrence   text NOT NULL DEFAULT 'none' CHECK (recurrence IN ('none', 'daily', 'weekly')),
    repeat_until timestamptz,
    reason       text CHECK (length(reason) <= 2000),
    created_by   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (service IS NOT NULL OR team IS NOT NULL),
    CHECK (ends_at > starts_at),
    CHECK (recurrence <> 'daily' OR ends_at - starts_at <= interval '1 day'),
    CHECK (recurrence <> 'weekly' OR ends_at - starts_at <= interval '7 days')
);
CREATE INDEX maintenance_windows_starts_at_idx ON maintenance_windows (starts_at DESC, id);

CREATE TRIGGER maintenance_windows_audit AFTER INSERT OR UPDATE OR DELETE ON maintenance_windows
    FOR EACH ROW EXECUTE FUNCTION audit_record('ingestion_audit', 'id');

-- A suppressed alert is not firing: its dedup key stays free (the firing index leaves it out), so the same
-- alert after the window opens an incident as usual.
ALTER TABLE alerts DROP CONSTRAINT alerts_status_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_status_check CHECK (status IN ('firing', 'resolved', 'suppressed'));
ALTER TABLE alerts ADD COLUMN suppressed_by uuid REFERENCES maintenance_windows (id) ON DELETE SET NULL;
