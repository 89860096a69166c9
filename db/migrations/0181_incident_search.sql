-- owner: incident_management
-- Full-text search of incidents: their title and description, their alerts' messages and their notes, each
-- indexed (GIN) so a search over the whole history stays an index lookup.
-- depends: 0002_incidents 0190_incident_alert_copies

ALTER TABLE incidents
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english', title || ' ' || service || ' ' || coalesce(description, ''))
    ) STORED;
CREATE INDEX incidents_search_idx ON incidents USING gin (search_vector);
CREATE INDEX incident_alerts_search_idx ON incident_alerts USING gin (to_tsvector('english', message));
CREATE INDEX incident_notes_search_idx ON incident_notes USING gin (to_tsvector('english', content));
