-- owner: incident_management
-- copies from: alerts
-- Incident management keeps what it knows of its alerts in its own tables: a copy of each attached alert, and
-- the resolutions alert ingestion reports over HTTP (`alert_resolutions` is its inbox, written by itself now).
-- depends: 0040_queue_tables_vacuum

-- No foreign key to alert ingestion's `alerts`: the alert id is a reference, its copy is here.
ALTER TABLE incident_alerts
    DROP CONSTRAINT IF EXISTS incident_alerts_alert_id_fkey,
    ADD COLUMN message     text,
    ADD COLUMN labels      jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN source      text NOT NULL DEFAULT 'api',
    ADD COLUMN occurred_at timestamptz,
    ADD COLUMN received_at timestamptz NOT NULL DEFAULT now(),
    -- Set when the resolution by the source is recorded on the incident.
    ADD COLUMN resolved_at timestamptz;

ALTER TABLE alert_resolutions
    DROP CONSTRAINT IF EXISTS alert_resolutions_alert_id_fkey,
    ADD COLUMN resolved_at timestamptz,
    ADD COLUMN source      text NOT NULL DEFAULT 'api';

-- One-time copy from the alerts table, while both are still in one database.
UPDATE incident_alerts ia
SET message = a.message, labels = a.labels, source = a.source, occurred_at = a.occurred_at,
    received_at = a.received_at,
    resolved_at = CASE WHEN a.status = 'resolved'
                        AND NOT EXISTS (SELECT 1 FROM alert_resolutions r WHERE r.alert_id = a.id)
                       THEN a.resolved_at END
FROM alerts a
WHERE a.id = ia.alert_id;
UPDATE alert_resolutions r SET resolved_at = a.resolved_at, source = a.source FROM alerts a WHERE a.id = r.alert_id;
UPDATE incident_alerts SET message = '(alert not found)', occurred_at = attached_at WHERE message IS NULL;
UPDATE alert_resolutions SET resolved_at = created_at WHERE resolved_at IS NULL;

ALTER TABLE incident_alerts
    ALTER COLUMN message SET NOT NULL,
    ALTER COLUMN occurred_at SET NOT NULL,
    ALTER COLUMN occurred_at SET DEFAULT now();
ALTER TABLE alert_resolutions ALTER COLUMN resolved_at SET NOT NULL;
