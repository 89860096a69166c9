-- owner: oncall_service
-- Contact methods through Apprise (push, SMS, chat apps), and the verification of such a method by a code
-- sent to it before it is used for paging. The others (email, webhook, slack, log) count as verified.
-- depends: 0100_identity_people

ALTER TABLE contact_methods DROP CONSTRAINT contact_methods_type_check;
ALTER TABLE contact_methods
    ADD CONSTRAINT contact_methods_type_check CHECK (type IN ('email', 'webhook', 'slack', 'log', 'apprise')),
    ADD COLUMN verified_at             timestamptz DEFAULT now(),
    -- How answers show the address: an Apprise URL with its secrets as **** (the notification service's view).
    ADD COLUMN address_shown           text CHECK (length(address_shown) <= 2048),
    -- The code sent last: a salted SHA-256 digest (never the code), until when it holds, wrong tries so far.
    ADD COLUMN verification_digest     text,
    ADD COLUMN verification_expires_at timestamptz,
    ADD COLUMN verification_failures   integer NOT NULL DEFAULT 0 CHECK (verification_failures >= 0);

UPDATE contact_methods SET verified_at = created_at;
