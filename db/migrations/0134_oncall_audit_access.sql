-- owner: oncall_service
-- The audit trail also covers API tokens (made, revoked; never their digests, nor each use's last_used_at),
-- service routes and paging preferences. Sessions and sign-in failures are not records someone changes.
-- depends: 0132_oncall_audit 0101_identity_access 0203_service_routes 0204_paging_preferences

CREATE TRIGGER api_tokens_audit AFTER INSERT OR UPDATE OR DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id', 'last_used_at');
CREATE TRIGGER service_routes_audit AFTER INSERT OR UPDATE OR DELETE ON service_routes
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'id');
CREATE TRIGGER paging_preferences_audit AFTER INSERT OR UPDATE OR DELETE ON paging_preferences
    FOR EACH ROW EXECUTE FUNCTION audit_record('oncall_audit', 'user_id');
