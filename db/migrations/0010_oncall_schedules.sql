-- owner: oncall_service
-- On-call schedules: a team's rotation, its members in rotation order, and overrides covering a time range.
-- depends: 0002_incidents

CREATE TABLE schedules (
    id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team                       text NOT NULL CHECK (length(team) BETWEEN 1 AND 100),
    rotation_type              text NOT NULL CHECK (rotation_type IN ('weekly', 'daily')),
    timezone                   text NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    handoff_time               time NOT NULL DEFAULT '00:00',
    rotation_start             date,
    escalation_timeout_seconds integer NOT NULL DEFAULT 300 CHECK (escalation_timeout_seconds BETWEEN 1 AND 86400),
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now()
);
-- One schedule per team; alert labels and requests name teams in any letter case.
CREATE UNIQUE INDEX schedules_team_uq ON schedules (lower(team));

-- Members in rotation order (position) within their role.
CREATE TABLE schedule_members (
    schedule_id uuid NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    position    integer NOT NULL CHECK (position >= 0),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email       text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    role        text NOT NULL CHECK (role IN ('primary', 'secondary')),
    PRIMARY KEY (schedule_id, position)
);
-- A person appears at most once per role of a schedule.
CREATE UNIQUE INDEX schedule_members_role_email_uq ON schedule_members (schedule_id, role, lower(email));

-- Someone covers a role for a time range; the newest override wins where several overlap.
CREATE TABLE schedule_overrides (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    schedule_id uuid NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('primary', 'secondary')),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email       text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    start_at    timestamptz NOT NULL,
    end_at      timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (end_at > start_at)
);
CREATE INDEX schedule_overrides_schedule_end_idx ON schedule_overrides (schedule_id, end_at);
