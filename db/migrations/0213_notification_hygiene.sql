-- owner: notification_service
-- Paging hygiene: repeated pages for the same incident and step fold into one (fold_key, folds), and rate
-- limits per contact method count what was sent to a recipient lately.
-- depends: 0212_notification_actions

ALTER TABLE notifications
    ADD COLUMN fold_key text CHECK (length(fold_key) BETWEEN 1 AND 255),
    ADD COLUMN folds    integer NOT NULL DEFAULT 0 CHECK (folds >= 0);

-- A new page looks for an earlier one of its recipient and fold key.
CREATE INDEX notifications_fold_idx ON notifications (recipient, fold_key, created_at DESC) WHERE fold_key IS NOT NULL;
-- Rate limits count a recipient's recent sends.
CREATE INDEX notifications_recipient_sent_idx ON notifications (recipient, sent_at DESC) WHERE status = 'sent';
