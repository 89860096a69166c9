-- owner: alert_ingestion
-- copies from: incident_alerts
-- Alert ingestion keeps its own reference to the incident of each alert (from incident management's answer),
-- and its own outbox of resolutions to report, relayed over HTTP until incident management has them.
-- depends: 0001_alerts 0190_incident_alert_copies

ALTER TABLE alerts
    ADD COLUMN incident_id uuid,
    ADD COLUMN correlation text CHECK (correlation IN ('new_incident', 'existing_incident'));

-- One-time copy from incident management's attachments, while both are still in one database.
UPDATE alerts a SET incident_id = ia.incident_id, correlation = ia.correlation
FROM incident_alerts ia
WHERE ia.alert_id = a.id;

CREATE INDEX alerts_incident_received_at_idx ON alerts (incident_id, received_at DESC) WHERE incident_id IS NOT NULL;

-- Written in the transaction that resolves the alert; deleted once incident management has the resolution.
CREATE TABLE alert_resolution_outbox (
    alert_id        uuid PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_resolution_outbox_due_idx ON alert_resolution_outbox (next_attempt_at);
ALTER TABLE alert_resolution_outbox SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
