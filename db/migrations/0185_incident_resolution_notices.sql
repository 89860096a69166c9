-- owner: incident_management
-- Incidents resolved here whose alerts alert ingestion still counts as firing: an outbox, written by trigger in
-- the transaction that resolves the incident (by a person, a page's link, a bulk action or a merge), relayed over
-- HTTP until ingestion has resolved them; a repeat of such an alert then opens a new incident.
-- depends: 0002_incidents

CREATE TABLE incident_resolution_notices (
    incident_id     uuid PRIMARY KEY REFERENCES incidents (id),
    resolved_at     timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_resolution_notices_due_idx ON incident_resolution_notices (next_attempt_at);

CREATE FUNCTION queue_incident_resolution_notice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO incident_resolution_notices (incident_id, resolved_at)
    VALUES (NEW.id, NEW.resolved_at)
    ON CONFLICT (incident_id) DO UPDATE SET resolved_at = EXCLUDED.resolved_at, next_attempt_at = now();
    RETURN NULL;
END
$$;

-- After a resolution by the source no alert is left firing: the relay drops that notice without a call.
CREATE TRIGGER incidents_queue_resolution_notice AFTER UPDATE OF status ON incidents
    FOR EACH ROW WHEN (NEW.status = 'resolved' AND OLD.status <> 'resolved')
    EXECUTE FUNCTION queue_incident_resolution_notice();
