-- owner: platform
-- The audit trail's two trigger functions, shared by every service's own audit table (0131-0133).
--
-- audit_record(audit_table, record_id_column, redacted_column, ...): appends who changed which record
-- (the row's own id, or its parent's for rows such as members), how, from where, and the row before and after
-- as JSON. Secrets never enter it: the named columns and any column whose name ends in hash, digest, secret
-- or password are left out, and so are search vectors. The actor and client address come from the connection's settings audit.actor and
-- audit.client, which servicekit sets each time a service takes a connection from its pool; without them
-- (a migration, psql) the actor is the connection's application_name.
-- audit_append_only(): an audit row is never updated or deleted.

CREATE FUNCTION audit_record() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    before_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    after_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    record_id text := coalesce(after_row, before_row) ->> TG_ARGV[1];
    hidden text[];
BEGIN
    SELECT coalesce(array_agg(key), '{}') INTO hidden
    FROM jsonb_object_keys(coalesce(after_row, before_row)) AS key
    WHERE key = ANY (TG_ARGV[2:]) OR key ~ '(hash|digest|secret|password|_vector)$';
    before_row := before_row - hidden;
    after_row := after_row - hidden;
    IF TG_OP = 'UPDATE' AND before_row = after_row THEN
        RETURN NULL;  -- nothing that is shown changed (e.g. only a redacted column or a counter the trigger skips)
    END IF;
    EXECUTE format(
        'INSERT INTO %I (actor, client_address, action, record_type, record_id, before, after)'
        ' VALUES ($1, $2, $3, $4, $5, $6, $7)',
        TG_ARGV[0]
    ) USING
        coalesce(nullif(current_setting('audit.actor', true), ''), current_setting('application_name')),
        nullif(current_setting('audit.client', true), ''),
        CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
        TG_TABLE_NAME,
        record_id,
        before_row,
        after_row;
    RETURN NULL;
END;
$$;

CREATE FUNCTION audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
