-- owner: notification_service
-- Not every message is about an incident: "test this contact method" and verification codes have none.
-- depends: 0213_notification_hygiene

ALTER TABLE notifications
    ALTER COLUMN incident_id DROP NOT NULL,
    ADD COLUMN kind text NOT NULL DEFAULT 'incident' CHECK (kind IN ('incident', 'test', 'verification')),
    ADD CONSTRAINT notifications_incident_kind_check CHECK (kind <> 'incident' OR incident_id IS NOT NULL);
