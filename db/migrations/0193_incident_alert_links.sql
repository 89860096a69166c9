-- owner: incident_management
-- copies from: alerts
-- Incident management's copy of an alert keeps its links and images too, so the incident page shows them
-- without reading alert ingestion's table.
-- depends: 0150_alert_links 0190_incident_alert_copies

ALTER TABLE incident_alerts
    ADD COLUMN links  jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(links) = 'array'),
    ADD COLUMN images jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(images) = 'array');

-- One-time copy, while both tables are still in one database.
UPDATE incident_alerts ia SET links = a.links, images = a.images FROM alerts a WHERE a.id = ia.alert_id;
