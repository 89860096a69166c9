-- owner: oncall_service
-- Calendar feeds (iCalendar) of a schedule or of a user, reached by a token in the URL so that Google Calendar
-- or Outlook can subscribe without signing in. Only the token's SHA-256 is stored; a revoked feed answers 404.
-- depends: 0010_oncall_schedules 0100_identity_people 0132_oncall_audit

CREATE TABLE calendar_feeds (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    schedule_id uuid REFERENCES schedules (id) ON DELETE CASCADE,
    user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
    token_hash  text NOT NULL UNIQUE,
    prefix      text NOT NULL CHECK (length(prefix) BETWEEN 1 AND 20),
    created_by  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    CHECK ((schedule_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX calendar_feeds_schedule_idx ON calendar_feeds (schedule_id) WHERE schedule_id IS NOT NULL;
CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (user_id) WHERE user_id IS NOT NULL;

CREATE TRIGGER calendar_feeds_audit AFTER INSERT OR UPDATE OR DELETE ON calendar_feeds
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id');
