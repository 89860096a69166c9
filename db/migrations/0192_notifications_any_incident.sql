-- owner: notification_service
-- The notification service takes whatever incident id it is given: no foreign key to incident management's table.
-- depends: 0020_notifications

ALTER TABLE notifications DROP CONSTRAINT IF EXISTS notifications_incident_id_fkey;
