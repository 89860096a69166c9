-- owner: oncall_service
-- Services map to a team and a policy, with their own severity -> urgency mapping; a policy may keep
-- working hours (low-urgency notifications wait for them).
-- depends: 0200_escalation_policies

ALTER TABLE escalation_policies ADD COLUMN working_hours jsonb CHECK (working_hours IS NULL OR jsonb_typeof(working_hours) = 'object');

CREATE TABLE service_routes (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service    text NOT NULL CHECK (length(service) BETWEEN 1 AND 200),
    team       text NOT NULL CHECK (length(team) BETWEEN 1 AND 100),
    -- NULL (or a deleted policy): the team's default policy.
    policy_id  uuid REFERENCES escalation_policies (id) ON DELETE SET NULL,
    -- {severity: high|low} for the severities this service maps its own way.
    urgency    jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(urgency) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- One route per service, whatever the letter case.
CREATE UNIQUE INDEX service_routes_service_uq ON service_routes (lower(service));
