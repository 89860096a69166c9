-- owner: alert_ingestion
-- Heartbeat monitors (dead man's switches): a source pings at least every interval; once a ping is overdue by
-- more than the grace period, the monitor opens an alert (and so an incident), which the next ping resolves.
-- The platform's own Watchdog (Prometheus -> Alertmanager, monitoring/alertmanager.yml) pings the one made here.
-- depends: 0110_integration_keys 0133_ingestion_audit

-- `due_at` is when the monitor is overdue (NULL until its first ping: a new monitor waits for its source);
-- the due-work job claims rows with due_at <= now() with SKIP LOCKED and marks them `overdue`, once.
CREATE TABLE heartbeats (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name               text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    service            text NOT NULL CHECK (length(service) BETWEEN 1 AND 200),
    team               text CHECK (length(team) BETWEEN 1 AND 200),
    severity           text NOT NULL DEFAULT 'critical' CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    interval_seconds   integer NOT NULL CHECK (interval_seconds BETWEEN 10 AND 2678400),
    grace_seconds      integer NOT NULL DEFAULT 60 CHECK (grace_seconds BETWEEN 0 AND 86400),
    integration_key_id uuid REFERENCES integration_keys (id),
    paused             boolean NOT NULL DEFAULT false,
    last_ping_at       timestamptz,
    due_at             timestamptz,
    overdue            boolean NOT NULL DEFAULT false,
    overdue_since      timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX heartbeats_due_idx ON heartbeats (due_at) WHERE NOT overdue AND NOT paused;

-- Pings change only the monitor's state, which the audit trail leaves out: it records what admins change.
CREATE TRIGGER heartbeats_audit AFTER INSERT OR UPDATE OR DELETE ON heartbeats
    FOR EACH ROW EXECUTE FUNCTION audit_record('ingestion_audit', 'id', 'last_ping_at', 'due_at', 'overdue',
                                               'overdue_since');

-- The platform's Watchdog: Alertmanager pings it every minute (monitoring/alertmanager.yml names this id).
INSERT INTO heartbeats (id, name, service, severity, interval_seconds, grace_seconds)
VALUES ('7a7c4d09-0000-4000-8000-000000000001', 'platform-watchdog', 'alerting-pipeline', 'critical', 300, 300);
