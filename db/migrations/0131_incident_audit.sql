-- owner: incident_management
-- The audit trail of incident management: who changed an incident (status, assignment, severity, title, team)
-- or added a note, when, from where, before and after. Attaching an alert (alert_count) or an escalation step
-- alone is not a change made by someone and is left to the timeline.
-- depends: 0130_audit_functions 0002_incidents

CREATE TABLE incident_audit (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text NOT NULL,
    client_address text,
    action         text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    record_type    text NOT NULL,
    record_id      text,
    before         jsonb,
    after          jsonb
);
CREATE INDEX incident_audit_at ON incident_audit (at DESC, id DESC);
CREATE INDEX incident_audit_record ON incident_audit (record_type, record_id, at DESC);
CREATE TRIGGER incident_audit_append_only BEFORE UPDATE OR DELETE ON incident_audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER incident_audit_no_truncate BEFORE TRUNCATE ON incident_audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TRIGGER incidents_created_audit AFTER INSERT ON incidents
    FOR EACH ROW EXECUTE FUNCTION audit_record('incident_audit', 'id');
CREATE TRIGGER incidents_changed_audit AFTER UPDATE OF status, assigned_to, assigned_email, severity, title, team
    ON incidents FOR EACH ROW
    WHEN ((OLD.status, OLD.assigned_to, OLD.assigned_email, OLD.severity, OLD.title, OLD.team)
          IS DISTINCT FROM (NEW.status, NEW.assigned_to, NEW.assigned_email, NEW.severity, NEW.title, NEW.team))
    EXECUTE FUNCTION audit_record('incident_audit', 'id');
CREATE TRIGGER incident_notes_audit AFTER INSERT OR UPDATE OR DELETE ON incident_notes
    FOR EACH ROW EXECUTE FUNCTION audit_record('incident_audit', 'incident_id');
