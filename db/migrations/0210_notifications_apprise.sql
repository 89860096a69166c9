-- owner: notification_service
-- The apprise channel (an Apprise URL as recipient: ntfy, Teams, Pushover, SMS, ...) and each notification's
-- urgency, which that channel turns into the service's own priority (high: urgent/emergency, low: quiet).
-- depends: 0192_notifications_any_incident

ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check;
ALTER TABLE notifications
    ADD CONSTRAINT notifications_channel_check CHECK (channel IN ('log', 'webhook', 'email', 'slack', 'apprise')),
    ADD COLUMN urgency text NOT NULL DEFAULT 'high' CHECK (urgency IN ('high', 'low'));
