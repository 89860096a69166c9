-- owner: oncall_service
-- Shift swaps: someone on call offers a stretch of their shift, another person takes it, and the taking
-- becomes an override of that role for that stretch.
-- depends: 0010_oncall_schedules 0132_oncall_audit

CREATE TABLE shift_swaps (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    schedule_id   uuid NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    role          text NOT NULL CHECK (role IN ('primary', 'secondary')),
    start_at      timestamptz NOT NULL,
    end_at        timestamptz NOT NULL,
    offered_name  text NOT NULL CHECK (length(offered_name) BETWEEN 1 AND 200),
    offered_email text NOT NULL CHECK (length(offered_email) BETWEEN 3 AND 320),
    note          text CHECK (length(note) <= 1000),
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'cancelled')),
    taken_name    text CHECK (length(taken_name) BETWEEN 1 AND 200),
    taken_email   text CHECK (length(taken_email) BETWEEN 3 AND 320),
    override_id   uuid REFERENCES schedule_overrides (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (end_at > start_at),
    CHECK ((status = 'taken') = (taken_email IS NOT NULL))
);
CREATE INDEX shift_swaps_schedule_idx ON shift_swaps (schedule_id, status, start_at);

CREATE TRIGGER shift_swaps_audit AFTER INSERT OR UPDATE OR DELETE ON shift_swaps
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id');
