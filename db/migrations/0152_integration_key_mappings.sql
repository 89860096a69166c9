-- owner: alert_ingestion
-- The generic webhook: an integration key may carry a mapping from its source's JSON body to the alert's fields
-- (alert_ingestion/webhook/mapping.py says its shape; ingestion checks it before storing it).
-- depends: 0151_integration_key_signatures

ALTER TABLE integration_keys
    ADD COLUMN mapping jsonb CHECK (mapping IS NULL OR jsonb_typeof(mapping) = 'object');
