-- owner: incident_management
-- Alerts resolved by their source (e.g. Alertmanager) whose resolution incident management has not recorded yet.
-- depends: 0002_incidents

-- Written by alert ingestion in the same transaction that resolves the alert; incident management records the
-- resolution on the incident (and resolves it when all its alerts are resolved), then deletes the row. It is
-- normally empty: a row stays only while incident management is unreachable or the alert is not yet attached.
CREATE TABLE alert_resolutions (
    alert_id   uuid PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_resolutions_created_at_idx ON alert_resolutions (created_at);
