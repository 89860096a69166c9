-- owner: alert_ingestion
-- Integration keys: the credential an alert source sends (`Authorization: Bearer ipk_...`), naming the source
-- and the service/team its alerts belong to. Alerts record the key that sent them.
-- depends: 0001_alerts 0191_alert_incident_reference

-- Only a SHA-256 digest of each key is kept (keys are 256 random bits, so a digest cannot be reversed by
-- guessing); `prefix` is the key's first characters, to recognise it in lists. A revoked key stays, so that
-- the alerts it sent still name it.
CREATE TABLE integration_keys (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    source      text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
    service     text CHECK (length(service) BETWEEN 1 AND 200),
    team        text CHECK (length(team) BETWEEN 1 AND 200),
    key_digest  bytea NOT NULL UNIQUE CHECK (length(key_digest) = 32),
    prefix      text NOT NULL,
    created_by  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_by  text,
    revoked_at  timestamptz
);
CREATE INDEX integration_keys_created_at_idx ON integration_keys (created_at DESC, id);

ALTER TABLE alerts ADD COLUMN integration_key_id uuid REFERENCES integration_keys (id);
CREATE INDEX alerts_integration_key_received_at_idx ON alerts (integration_key_id, received_at DESC)
    WHERE integration_key_id IS NOT NULL;

-- A dedup key is unique among the firing alerts of one integration key (alerts sent without a key share one
-- space), as PagerDuty scopes a dedup_key to its routing key: two sources may use the same key for different
-- things.
DROP INDEX alerts_firing_dedup_key_uq;
CREATE UNIQUE INDEX alerts_firing_dedup_key_uq
    ON alerts (dedup_key, COALESCE(integration_key_id, '00000000-0000-0000-0000-000000000000'::uuid))
    WHERE status = 'firing';
