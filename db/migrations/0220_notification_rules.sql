-- owner: oncall_service
-- Each user's notification rules: which of their contact methods a page reaches, and how long after the page
-- ("e-mail at once, Slack after 2 minutes"). A user without rules is paged on every verified method at once.
-- depends: 0100_identity_people 0132_oncall_audit 0215_contact_method_verification

CREATE TABLE notification_rules (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contact_method_id uuid NOT NULL REFERENCES contact_methods (id) ON DELETE CASCADE,
    delay_seconds     integer NOT NULL CHECK (delay_seconds BETWEEN 0 AND 86400),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
-- One method at one delay once; the same method may come back later (push now, push again after 5 minutes).
CREATE UNIQUE INDEX notification_rules_method_delay_uq ON notification_rules (contact_method_id, delay_seconds);
CREATE INDEX notification_rules_user_idx ON notification_rules (user_id, delay_seconds);

CREATE TRIGGER notification_rules_audit AFTER INSERT OR UPDATE OR DELETE ON notification_rules
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id');
