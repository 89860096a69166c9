-- owner: alert_ingestion
-- Signed intake: an integration key may carry a secret that its source signs each request with (HMAC-SHA256,
-- as Grafana's webhook does), and the header names it uses. The secret is kept as given (a signature cannot be
-- checked against a digest); the audit trail leaves it out (its name ends in "secret").
-- depends: 0110_integration_keys 0133_ingestion_audit

ALTER TABLE integration_keys
    ADD COLUMN signing_secret text CHECK (length(signing_secret) BETWEEN 16 AND 200),
    ADD COLUMN signature_header text CHECK (signature_header ~ '^[A-Za-z0-9][A-Za-z0-9-]{0,99}$'),
    ADD COLUMN signature_timestamp_header text
        CHECK (signature_timestamp_header ~ '^[A-Za-z0-9][A-Za-z0-9-]{0,99}$');
