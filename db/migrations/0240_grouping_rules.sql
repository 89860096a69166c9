-- owner: incident_management
-- Opt-in grouping per service: a rule names the alert fields whose values keep unrelated alerts of one service
-- and severity apart (e.g. labels.alertname), and may hold alerts until enough of one group arrive. Alerts
-- moved between incidents by hand (merge, split) say so in both timelines, and alert ingestion hears of the
-- alert's new incident through an outbox relayed over HTTP.
-- depends: 0201_incident_escalation_state 0193_incident_alert_links 0131_incident_audit

CREATE TABLE grouping_rules (
    service    text PRIMARY KEY CHECK (length(service) BETWEEN 1 AND 200),
    -- Field paths such as labels.alertname, message or source; their values, in order, make the group.
    group_by   text[] NOT NULL CHECK (cardinality(group_by) BETWEEN 1 AND 10),
    -- Open an incident only once this many alerts of one group arrived within the window (1: at once).
    threshold  integer NOT NULL DEFAULT 1 CHECK (threshold BETWEEN 1 AND 1000),
    updated_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- Who changed which rule, in incident management's audit trail.
CREATE TRIGGER grouping_rules_audit AFTER INSERT OR UPDATE OR DELETE ON grouping_rules
    FOR EACH ROW EXECUTE FUNCTION audit_record('incident_audit', 'service');

-- The group an incident opened by a rule stands for (null: the default grouping by service and severity).
ALTER TABLE incidents ADD COLUMN group_key text;

-- Alerts below their rule's threshold, with incident management's copy of them, until their group opens one.
CREATE TABLE held_alerts (
    alert_id    uuid PRIMARY KEY,
    service     text NOT NULL,
    severity    text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    group_key   text NOT NULL,
    alert       jsonb NOT NULL,
    held_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX held_alerts_group_idx ON held_alerts (service, severity, group_key, held_at);

ALTER TABLE incident_timeline DROP CONSTRAINT IF EXISTS incident_timeline_event_type_check;
ALTER TABLE incident_timeline ADD CONSTRAINT incident_timeline_event_type_check CHECK (event_type IN (
    'created', 'alert_attached', 'assigned', 'notified', 'acknowledged', 'in_progress', 'escalated',
    'note_added', 'resolved', 'alert_resolved', 'paging_failed', 'step_skipped', 'unpaged',
    'alert_moved_in', 'alert_moved_out', 'merged_into', 'merged_from'));

-- The incident of an alert changed here (a move, a held alert released): alert ingestion is told, until it has it.
CREATE TABLE alert_reference_outbox (
    alert_id        uuid PRIMARY KEY,
    incident_id     uuid NOT NULL,
    correlation     text NOT NULL CHECK (correlation IN ('new_incident', 'existing_incident')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_reference_outbox_due_idx ON alert_reference_outbox (next_attempt_at);
