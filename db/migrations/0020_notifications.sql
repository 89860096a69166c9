-- owner: notification_service
-- Notifications: every delivery asked of the notification service, its status and attempts (log and retry queue).
-- depends: 0002_incidents

CREATE TABLE notifications (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    incident_id     uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    channel         text NOT NULL CHECK (channel IN ('log', 'webhook', 'email', 'slack')),
    recipient       text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 2048),
    subject         text CHECK (length(subject) <= 500),
    message         text NOT NULL CHECK (length(message) BETWEEN 1 AND 10000),
    -- A caller's idempotency key: a retry after a lost answer returns the stored notification.
    dedup_key       text UNIQUE CHECK (length(dedup_key) BETWEEN 1 AND 255),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts    integer NOT NULL CHECK (max_attempts >= 1),
    last_error      text,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    failed_at       timestamptz,
    CHECK (status <> 'sent' OR sent_at IS NOT NULL),
    CHECK (status <> 'failed' OR failed_at IS NOT NULL)
);

-- The relay takes due pending deliveries, oldest due first.
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'pending';
-- Lists are newest first, optionally for one incident or one recipient.
CREATE INDEX notifications_created_at_idx ON notifications (created_at DESC, id);
CREATE INDEX notifications_incident_created_at_idx ON notifications (incident_id, created_at DESC);
CREATE INDEX notifications_recipient_created_at_idx ON notifications (recipient, created_at DESC);
