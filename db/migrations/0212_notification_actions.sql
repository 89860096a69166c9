-- owner: notification_service
-- A notification's action links ([{action, label, url}]: acknowledge, resolve, open), shown as buttons where
-- the channel has them. The URLs are credentials: stored for retries, never shown in API answers.
-- depends: 0210_notifications_apprise

ALTER TABLE notifications
    ADD COLUMN actions jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(actions) = 'array');
