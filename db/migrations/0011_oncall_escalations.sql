-- owner: oncall_service
-- Escalations done by the on-call service: one row per incident and level, which is what makes them exactly-once.
-- depends: 0010_oncall_schedules

CREATE TABLE escalations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- No foreign key: incidents belong to incident management and are changed only through its API.
    incident_id     uuid NOT NULL,
    level           integer NOT NULL CHECK (level >= 1),
    team            text NOT NULL,
    trigger         text NOT NULL CHECK (trigger IN ('manual', 'timeout')),
    reason          text,
    actor           text NOT NULL,
    assigned_name   text NOT NULL,
    assigned_email  text NOT NULL,
    previous_name   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (incident_id, level)
);
CREATE INDEX escalations_created_at_idx ON escalations (created_at DESC, id);
CREATE INDEX escalations_team_created_at_idx ON escalations (lower(team), created_at DESC);
