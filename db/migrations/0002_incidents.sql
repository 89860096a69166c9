-- owner: incident_management
-- Incidents, the alerts they hold, their notes and their timeline.
-- depends: 0001_alerts

CREATE TABLE incidents (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    description      text,
    service          text NOT NULL CHECK (length(service) BETWEEN 1 AND 200),
    severity         text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    status           text NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'acknowledged', 'in_progress', 'resolved')),
    team             text,
    assigned_to      text,
    assigned_email   text,
    escalation_level integer NOT NULL DEFAULT 0 CHECK (escalation_level >= 0),
    alert_count      integer NOT NULL DEFAULT 0 CHECK (alert_count >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    in_progress_at   timestamptz,
    resolved_at      timestamptz,
    resolved_by      text,
    mtta_seconds     double precision CHECK (mtta_seconds >= 0),
    mttr_seconds     double precision CHECK (mttr_seconds >= 0),
    CHECK (status <> 'resolved' OR resolved_at IS NOT NULL)
);

-- Correlation looks for the newest unresolved incident of one service and severity.
CREATE INDEX incidents_correlation_idx ON incidents (service, severity, created_at DESC) WHERE status <> 'resolved';
-- Lists are newest first, optionally by status, service or severity.
CREATE INDEX incidents_created_at_idx ON incidents (created_at DESC, id);
CREATE INDEX incidents_status_created_at_idx ON incidents (status, created_at DESC);
CREATE INDEX incidents_service_created_at_idx ON incidents (service, created_at DESC);

-- An alert belongs to exactly one incident: attaching it twice is a no-op.
CREATE TABLE incident_alerts (
    alert_id    uuid PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    correlation text NOT NULL CHECK (correlation IN ('new_incident', 'existing_incident')),
    attached_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_alerts_incident_idx ON incident_alerts (incident_id, attached_at);

CREATE TABLE incident_notes (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    author      text NOT NULL CHECK (length(author) BETWEEN 1 AND 200),
    content     text NOT NULL CHECK (length(content) BETWEEN 1 AND 10000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_notes_incident_idx ON incident_notes (incident_id, created_at);

CREATE TABLE incident_timeline (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    event_type  text NOT NULL CHECK (event_type IN (
                    'created', 'alert_attached', 'assigned', 'notified', 'acknowledged', 'in_progress',
                    'escalated', 'note_added', 'resolved', 'alert_resolved', 'paging_failed')),
    actor       text,
    detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, id);
