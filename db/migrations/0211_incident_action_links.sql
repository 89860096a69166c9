-- owner: incident_management
-- Action links (acknowledge/resolve from a page, without a session) act once: the nonce of each used link.
-- depends: 0002_incidents

CREATE TABLE incident_action_links_used (
    nonce       text PRIMARY KEY CHECK (length(nonce) BETWEEN 8 AND 64),
    incident_id uuid NOT NULL,
    action      text NOT NULL CHECK (action IN ('acknowledge', 'resolve')),
    email       text NOT NULL,
    used_at     timestamptz NOT NULL DEFAULT now()
);

-- Used links expire with their signature; old rows can be pruned by age.
CREATE INDEX incident_action_links_used_at_idx ON incident_action_links_used (used_at);
