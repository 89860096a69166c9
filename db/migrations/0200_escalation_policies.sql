-- owner: oncall_service
-- Escalation policies: a team's ordered steps (delay and targets), walked `repeat + 1` times.
-- depends: 0010_oncall_schedules

CREATE TABLE escalation_policies (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team          text NOT NULL CHECK (length(team) BETWEEN 1 AND 100),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    repeat        integer NOT NULL DEFAULT 0 CHECK (repeat BETWEEN 0 AND 9),
    -- The team's default policy (services without a mapping of their own use it).
    is_default    boolean NOT NULL DEFAULT false,
    -- Made from a schedule posted without a policy: its steps follow the schedule's escalation timeout.
    from_schedule uuid REFERENCES schedules (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Policy names are unique within a team, whatever the letter case.
CREATE UNIQUE INDEX escalation_policies_team_name_uq ON escalation_policies (lower(team), lower(name));
-- At most one default policy per team.
CREATE UNIQUE INDEX escalation_policies_default_uq ON escalation_policies (lower(team)) WHERE is_default;

-- A step waits `delay_seconds` for an acknowledgement before the next one; targets is a JSON array of
-- {type: schedule, schedule_id, role} | {type: user, name, email} | {type: team, team}.
CREATE TABLE escalation_policy_steps (
    policy_id     uuid NOT NULL REFERENCES escalation_policies (id) ON DELETE CASCADE,
    position      integer NOT NULL CHECK (position >= 0),
    delay_seconds integer NOT NULL CHECK (delay_seconds BETWEEN 1 AND 86400),
    targets       jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(targets) = 'array'),
    PRIMARY KEY (policy_id, position)
);

-- Every schedule made before policies existed gets the seed's two steps: its primary, then its secondary.
INSERT INTO escalation_policies (team, name, is_default, from_schedule)
SELECT team, team || ' default', true, id FROM schedules;
INSERT INTO escalation_policy_steps (policy_id, position, delay_seconds, targets)
SELECT p.id, r.position, s.escalation_timeout_seconds,
       jsonb_build_array(jsonb_build_object('type', 'schedule', 'schedule_id', s.id, 'role', r.role))
FROM escalation_policies p
JOIN schedules s ON s.id = p.from_schedule
CROSS JOIN (VALUES (0, 'primary'), (1, 'secondary')) AS r(position, role);
