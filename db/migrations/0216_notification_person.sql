-- owner: notification_service
-- Whom a notification is for (the person's e-mail, as the on-call service knows them), so that a user's
-- profile lists every delivery to any of their contact methods, with its status.
-- depends: 0214_notification_kinds

ALTER TABLE notifications ADD COLUMN person text CHECK (length(person) BETWEEN 1 AND 320);
CREATE INDEX notifications_person_created_at_idx ON notifications (lower(person), created_at DESC)
    WHERE person IS NOT NULL;
