-- owner: alert_ingestion
-- Alerts as received by alert ingestion, and the outbox of alerts not yet handed to incident management.

CREATE TABLE alerts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service     text NOT NULL CHECK (length(service) BETWEEN 1 AND 200),
    severity    text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    message     text NOT NULL CHECK (length(message) BETWEEN 1 AND 10000),
    labels      jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(labels) = 'object'),
    source      text NOT NULL DEFAULT 'api',
    dedup_key   text CHECK (length(dedup_key) BETWEEN 1 AND 255),
    status      text NOT NULL DEFAULT 'firing' CHECK (status IN ('firing', 'resolved')),
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);

-- A dedup key identifies one firing alert: retries and repeats of it are not stored again.
CREATE UNIQUE INDEX alerts_firing_dedup_key_uq ON alerts (dedup_key) WHERE status = 'firing';
CREATE INDEX alerts_received_at_idx ON alerts (received_at DESC, id);
CREATE INDEX alerts_service_received_at_idx ON alerts (service, received_at DESC);

-- Written in the same transaction as the alert; deleted once incident management has it.
CREATE TABLE alert_outbox (
    alert_id        uuid PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_outbox_due_idx ON alert_outbox (next_attempt_at);
