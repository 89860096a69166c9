-- owner: alert_ingestion
-- Acknowledgements sent by an alert's source (PagerDuty's `acknowledge` event) that incident management has not
-- applied to the alert's incident yet.
-- depends: 0110_integration_keys

-- Written when the event arrives, deleted once incident management has acknowledged the incident (or answered
-- that it is past that). A row waits while the alert has no incident yet (incident management was down when it
-- fired) or incident management does not answer; the relay retries it with back-off.
CREATE TABLE alert_acknowledgement_outbox (
    alert_id        uuid PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    actor           text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_acknowledgement_outbox_due_idx ON alert_acknowledgement_outbox (next_attempt_at);
