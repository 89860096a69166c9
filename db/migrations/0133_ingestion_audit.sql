-- owner: alert_ingestion
-- The audit trail of alert ingestion: integration keys made, changed and revoked (never their digests).
-- depends: 0130_audit_functions 0110_integration_keys

CREATE TABLE ingestion_audit (
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
CREATE INDEX ingestion_audit_at ON ingestion_audit (at DESC, id DESC);
CREATE INDEX ingestion_audit_record ON ingestion_audit (record_type, record_id, at DESC);
CREATE TRIGGER ingestion_audit_append_only BEFORE UPDATE OR DELETE ON ingestion_audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER ingestion_audit_no_truncate BEFORE TRUNCATE ON ingestion_audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TRIGGER integration_keys_audit AFTER INSERT OR UPDATE OR DELETE ON integration_keys
    FOR EACH ROW EXECUTE FUNCTION audit_record('ingestion_audit', 'id', 'key_digest');
