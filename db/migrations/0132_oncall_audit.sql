-- owner: oncall_service
-- The audit trail of the on-call service: people, teams and their contact methods, schedules with their
-- members and overrides, escalation policies with their steps.
-- depends: 0130_audit_functions 0010_oncall_schedules 0100_identity_people 0200_escalation_policies

CREATE TABLE oncall_audit (
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
CREATE INDEX oncall_audit_at ON oncall_audit (at DESC, id DESC);
CREATE INDEX oncall_audit_record ON oncall_audit (record_type, record_id, at DESC);
CREATE TRIGGER oncall_audit_append_only BEFORE UPDATE OR DELETE ON oncall_audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER oncall_audit_no_truncate BEFORE TRUNCATE ON oncall_audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TRIGGER schedules_audit AFTER INSERT OR UPDATE OR DELETE ON schedules
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id');
CREATE TRIGGER schedule_members_audit AFTER INSERT OR UPDATE OR DELETE ON schedule_members
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'schedule_id');
CREATE TRIGGER schedule_overrides_audit AFTER INSERT OR UPDATE OR DELETE ON schedule_overrides
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id');
CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id');
CREATE TRIGGER contact_methods_audit AFTER INSERT OR UPDATE OR DELETE ON contact_methods
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id');
CREATE TRIGGER teams_audit AFTER INSERT OR UPDATE OR DELETE ON teams
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id');
CREATE TRIGGER team_members_audit AFTER INSERT OR UPDATE OR DELETE ON team_members
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'team_id');
CREATE TRIGGER escalation_policies_audit AFTER INSERT OR UPDATE OR DELETE ON escalation_policies
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id');
CREATE TRIGGER escalation_policy_steps_audit AFTER INSERT OR UPDATE OR DELETE ON escalation_policy_steps
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'policy_id');
