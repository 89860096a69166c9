-- owner: incident_management
-- Outgoing webhooks on incident events. They live beside the incidents (not in the notification service) so that
-- the event is written by a trigger in the very transaction that changes the incident: one owner, no hop, never
-- lost. A team's subscriptions (URL, events, optional service, signing secret) get one delivery per event, kept
-- as the delivery log; deliveries are due work claimed with SKIP LOCKED (incident_management/webhooks/).
-- depends: 0002_incidents 0131_incident_audit 0201_incident_escalation_state

CREATE TABLE webhook_subscriptions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    team        text NOT NULL CHECK (length(team) BETWEEN 1 AND 100),
    url         text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    event_types text[] NOT NULL CHECK (cardinality(event_types) >= 1 AND event_types <@ ARRAY[
                    'incident.opened', 'incident.acknowledged', 'incident.escalated', 'incident.resolved',
                    'incident.note_added']::text[]),
    -- Only this service's incidents; NULL: every service of the team.
    service     text CHECK (length(service) BETWEEN 1 AND 200),
    description text CHECK (length(description) <= 500),
    enabled     boolean NOT NULL DEFAULT true,
    -- HMAC-SHA256 key of the signatures: made by the server, shown once (at creation and rotation).
    secret      text NOT NULL CHECK (length(secret) >= 32),
    created_by  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_team_idx ON webhook_subscriptions (team) WHERE enabled;
-- Who subscribed, changed, rotated (updated_at moves; the secret itself is redacted) or deleted, in the audit.
CREATE TRIGGER webhook_subscriptions_audit AFTER INSERT OR UPDATE OR DELETE ON webhook_subscriptions
    FOR EACH ROW EXECUTE FUNCTION audit_record('incident_audit', 'id');

-- The outbox: one row per incident event (or test event), with the incident as it was then. `team` and
-- `fanned_out_at` are set when its deliveries are made (the team of a new incident may come with its page).
CREATE TABLE webhook_events (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- the order events happened in
    event_type    text NOT NULL CHECK (event_type IN (
                      'incident.opened', 'incident.acknowledged', 'incident.escalated', 'incident.resolved',
                      'incident.note_added', 'webhook.test')),
    incident_id   uuid REFERENCES incidents (id) ON DELETE CASCADE,
    timeline_id   bigint UNIQUE,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    data          jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    team          text,
    fanned_out_at timestamptz
);
CREATE INDEX webhook_events_waiting_idx ON webhook_events (seq) WHERE fanned_out_at IS NULL;
CREATE INDEX webhook_events_occurred_idx ON webhook_events (occurred_at);  -- the log's retention

-- One delivery of one event to one subscription: its attempts, last answer and next try (the delivery log).
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- due at once: sent in the events' order
    subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_id         uuid NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz DEFAULT now(),
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_attempt_at  timestamptz,
    finished_at      timestamptz,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (subscription_id, created_at DESC);

-- Timeline events that subscribers hear of, with the incident (and the note or level) as they are now.
-- Nothing is written while no subscription is enabled: the common case costs one index probe.
CREATE FUNCTION webhook_capture_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    incident incidents;
    extra jsonb := '{}'::jsonb;
BEGIN
    IF NEW.event_type NOT IN ('created', 'acknowledged', 'escalated', 'resolved', 'note_added')
       OR NOT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE enabled) THEN
        RETURN NULL;
    END IF;
    SELECT * INTO incident FROM incidents WHERE id = NEW.incident_id;
    IF NEW.event_type = 'note_added' THEN
        SELECT jsonb_build_object('note', jsonb_build_object(
                   'id', n.id, 'author', n.author, 'content', n.content, 'created_at', n.created_at))
        INTO extra FROM incident_notes n WHERE n.id = (NEW.detail ->> 'note_id')::uuid;
    ELSIF NEW.event_type = 'escalated' THEN
        extra := jsonb_build_object('escalation', jsonb_build_object(
                     'level', (NEW.detail ->> 'level')::integer, 'step', NEW.detail ->> 'step',
                     'reason', NEW.detail ->> 'reason', 'trigger', NEW.detail ->> 'trigger'));
    END IF;
    INSERT INTO webhook_events (event_type, incident_id, timeline_id, occurred_at, data)
    VALUES (
        CASE NEW.event_type WHEN 'created' THEN 'incident.opened' ELSE 'incident.' || NEW.event_type END,
        incident.id, NEW.id, NEW.created_at,
        jsonb_build_object('incident', jsonb_build_object(
            'id', incident.id, 'title', incident.title, 'service', incident.service,
            'severity', incident.severity, 'status', incident.status, 'team', incident.team,
            'assignee', CASE WHEN incident.assigned_to IS NULL THEN NULL
                             ELSE jsonb_build_object('name', incident.assigned_to, 'email', incident.assigned_email)
                        END,
            'escalation_level', incident.escalation_level, 'created_at', incident.created_at,
            'acknowledged_at', incident.acknowledged_at, 'resolved_at', incident.resolved_at
        ), 'actor', NEW.actor) || COALESCE(extra, '{}'::jsonb)
    );
    RETURN NULL;
END
$$;

CREATE TRIGGER incident_timeline_webhooks AFTER INSERT ON incident_timeline
    FOR EACH ROW EXECUTE FUNCTION webhook_capture_event();
