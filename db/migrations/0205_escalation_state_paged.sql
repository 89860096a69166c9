-- owner: incident_management
-- Who an incident's policy paged, with the updates each opted in to (acknowledged, resolved, reassigned).
-- depends: 0201_incident_escalation_state

ALTER TABLE escalation_state ADD COLUMN paged jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(paged) = 'array');
