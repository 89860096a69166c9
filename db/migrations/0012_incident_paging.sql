-- owner: incident_management
-- Incident management's paging queue: find the on-call person and notify them, off the request path.
-- depends: 0002_incidents

-- Written in the transaction that opens or changes the incident; deleted once done.
-- kind 'page': look up who is on call, assign, then notify; kind 'notify': send payload's message.
CREATE TABLE paging_jobs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id     uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('page', 'notify')),
    payload         jsonb NOT NULL DEFAULT '{}'::jsonb,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX paging_jobs_due_idx ON paging_jobs (next_attempt_at);
CREATE INDEX paging_jobs_incident_idx ON paging_jobs (incident_id);
