-- owner: incident_management
-- Every new or changed incident, and every note, is announced on the channel `incident_changes` (pg_notify,
-- sent at commit), so the live event stream (incident_management/live/) shows it within a second.
-- depends: 0002_incidents

CREATE FUNCTION notify_incident_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    incident incidents;
BEGIN
    IF TG_TABLE_NAME = 'incidents' THEN
        incident := NEW;
    ELSE
        SELECT * INTO incident FROM incidents WHERE id = NEW.incident_id;
    END IF;
    PERFORM pg_notify('incident_changes', json_build_object(
        'id', incident.id,
        'change', CASE WHEN TG_TABLE_NAME = 'incident_notes' THEN 'note' WHEN TG_OP = 'INSERT' THEN 'created'
                       ELSE 'updated' END,
        'title', left(incident.title, 200),
        'service', left(incident.service, 200),
        'severity', incident.severity,
        'status', incident.status,
        'updated_at', incident.updated_at
    )::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER incidents_notify_change AFTER INSERT OR UPDATE ON incidents
    FOR EACH ROW EXECUTE FUNCTION notify_incident_change();
CREATE TRIGGER incident_notes_notify_change AFTER INSERT ON incident_notes
    FOR EACH ROW EXECUTE FUNCTION notify_incident_change();
