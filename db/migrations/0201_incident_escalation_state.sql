-- owner: incident_management
-- copies from: escalations
-- Escalation as due work beside the incident: where each incident stands in its policy and when the next step
-- is due, and the log of escalations (moved here from the on-call service, which now holds no timer).
-- depends: 0002_incidents 0011_oncall_escalations 0193_incident_alert_links

CREATE TABLE escalation_state (
    incident_id        uuid PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
    team               text NOT NULL,
    -- The on-call service's policy: a reference, read through its API (no foreign key across services).
    policy_id          uuid NOT NULL,
    policy_name        text NOT NULL,
    urgency            text NOT NULL DEFAULT 'high' CHECK (urgency IN ('high', 'low')),
    -- The position paged last: step of the policy, round of its repeats.
    step               integer NOT NULL DEFAULT 0 CHECK (step >= 0),
    round              integer NOT NULL DEFAULT 0 CHECK (round >= 0),
    step_label         text NOT NULL DEFAULT '',
    -- When the next step is due; NULL when nothing is (acknowledged, last step, low urgency).
    next_escalation_at timestamptz,
    -- No later step: escalating by hand is refused (and the UI disables it).
    final              boolean NOT NULL DEFAULT false,
    attempts           integer NOT NULL DEFAULT 0,
    last_error         text,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX escalation_state_due_idx ON escalation_state (next_escalation_at) WHERE next_escalation_at IS NOT NULL;
ALTER TABLE escalation_state SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

-- An incident whose policy ran out without paging anyone (shown in the UI, counted in a metric).
ALTER TABLE incidents ADD COLUMN unpaged boolean NOT NULL DEFAULT false;

ALTER TABLE incident_timeline DROP CONSTRAINT IF EXISTS incident_timeline_event_type_check;
ALTER TABLE incident_timeline ADD CONSTRAINT incident_timeline_event_type_check CHECK (event_type IN (
    'created', 'alert_attached', 'assigned', 'notified', 'acknowledged', 'in_progress', 'escalated',
    'note_added', 'resolved', 'alert_resolved', 'paging_failed', 'step_skipped', 'unpaged'));

-- One row per incident and level: what makes each step happen once, however many workers claim it.
CREATE TABLE incident_escalations (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    incident_id    uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    level          integer NOT NULL CHECK (level >= 1),
    team           text NOT NULL,
    policy_name    text,
    step           integer,
    round          integer,
    trigger        text NOT NULL CHECK (trigger IN ('manual', 'timeout')),
    reason         text,
    actor          text NOT NULL,
    assigned_name  text NOT NULL,
    assigned_email text NOT NULL,
    previous_name  text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (incident_id, level)
);
CREATE INDEX incident_escalations_created_at_idx ON incident_escalations (created_at DESC, id);
CREATE INDEX incident_escalations_team_created_at_idx ON incident_escalations (lower(team), created_at DESC);

-- One-time copy of the on-call service's log, while both are still in one database.
INSERT INTO incident_escalations (incident_id, level, team, trigger, reason, actor, assigned_name, assigned_email,
                                  previous_name, created_at)
SELECT e.incident_id, e.level, e.team, e.trigger, e.reason, e.actor, e.assigned_name, e.assigned_email,
       e.previous_name, e.created_at
FROM escalations e
WHERE EXISTS (SELECT 1 FROM incidents i WHERE i.id = e.incident_id);
