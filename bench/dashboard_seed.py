"""The dashboard benchmark's data: incidents with their alerts and notes, written straight into a fresh
database by set-returning SQL (a million rows in well under a minute), then analysed.

Incidents are spread over the last 90 days, services and severities; ACTIVE_SHARE of them are not resolved
(the active list); every alert is in alert ingestion's table and in incident management's copy. An incident's
alerts say two words of a small vocabulary (a search for one matches a few percent of the history: a broad
search), its service and an error code shared by about one incident in CODES (a search for it finds one
incident among the whole history: the usual "find that incident" search).
"""

import time

# Words alert messages are made of; a search asks for one of them (or a service name).
WORDS = (
    "latency", "disk", "memory", "timeout", "replication", "certificate", "queue", "backlog", "error", "rate",
    "cpu", "throttled", "connection", "refused", "deadlock", "oom", "killed", "heartbeat", "missing", "5xx",
    "quota", "exceeded", "dns", "resolution", "failed", "checkout", "payment", "login", "cache", "eviction",
    "kafka", "lag", "index", "stale", "backup", "snapshot", "cron", "skipped", "tls", "handshake",
)  # fmt: skip
ACTIVE_SHARE = 0.02
CODES = 50_000

# Incidents: service 0..services-1, severity by weight (low most often), ~2% unresolved, times over 90 days.
INSERT_INCIDENTS = """
INSERT INTO incidents (title, service, severity, status, team, assigned_to, alert_count, created_at, updated_at,
                       acknowledged_at, resolved_at, mtta_seconds, mttr_seconds)
SELECT format('svc%%s: %%s %%s', s, w1, w2), 'svc' || s, sev, st, 'team-' || (s %% 20), 'person-' || (n %% 50),
       %(alerts_per)s, created, created, CASE WHEN st <> 'open' THEN created + interval '2 minutes' END,
       CASE WHEN st = 'resolved' THEN created + interval '40 minutes' END,
       CASE WHEN st <> 'open' THEN 120 END, CASE WHEN st = 'resolved' THEN 2400 END
FROM (
    SELECT n, n %% %(services)s AS s,
           (ARRAY['critical','high','medium','medium','low','low','low','low'])[1 + (n * 7) %% 8] AS sev,
           CASE WHEN random() < %(active)s THEN (ARRAY['open','acknowledged','in_progress'])[1 + n %% 3]
                ELSE 'resolved' END AS st,
           now() - (random() * interval '90 days') AS created,
           (%(words)s::text[])[1 + (n * 13) %% %(word_count)s] AS w1,
           (%(words)s::text[])[1 + (n * 17) %% %(word_count)s] AS w2
    FROM generate_series(1, %(incidents)s) AS n
) AS plan
"""

# Alerts, `alerts_per` for each incident, in ingestion's table and in incident management's copy.
INSERT_ALERTS = """
WITH made AS (
    INSERT INTO alerts (service, severity, message, occurred_at, received_at, incident_id, correlation, status)
    SELECT i.service, i.severity,
           format('%%s %%s on %%s host-%%s (E%%s)', (%(words)s::text[])[1 + h %% %(word_count)s],
                  (%(words)s::text[])[1 + (h / 7) %% %(word_count)s], i.service, k, h %% %(codes)s),
           i.created_at, i.created_at, i.id, CASE WHEN k = 1 THEN 'new_incident' ELSE 'existing_incident' END,
           CASE WHEN i.status = 'resolved' THEN 'resolved' ELSE 'firing' END
    FROM (SELECT id, service, severity, status, created_at, abs(hashtext(id::text)) AS h FROM incidents) AS i,
         generate_series(1, %(alerts_per)s) AS k
    RETURNING id, incident_id, message, correlation, occurred_at
)
INSERT INTO incident_alerts (alert_id, incident_id, correlation, message, occurred_at, received_at, attached_at)
SELECT id, incident_id, correlation, message, occurred_at, occurred_at, occurred_at FROM made
"""

# A note on every tenth incident.
INSERT_NOTES = """
INSERT INTO incident_notes (incident_id, author, content, created_at)
SELECT id, 'person-1', 'rolled back after ' || (%(words)s::text[])[1 + abs(hashtext(id::text)) %% %(word_count)s],
       created_at
FROM incidents WHERE abs(hashtext(id::text)) %% 10 = 0
"""


def seed(conn, incidents, alerts, services):
    """Write the data; return {what: (rows, seconds)}."""
    params = {
        "incidents": incidents,
        "alerts_per": max(1, alerts // incidents),
        "services": services,
        "active": ACTIVE_SHARE,
        "words": list(WORDS),
        "word_count": len(WORDS),
        "codes": CODES,
    }
    done = {}
    with conn, conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")  # the seed is thrown away with its database
        for what, statement in (("incidents", INSERT_INCIDENTS), ("alerts", INSERT_ALERTS), ("notes", INSERT_NOTES)):
            started = time.monotonic()
            cur.execute(statement, params)
            done[what] = (cur.rowcount, time.monotonic() - started)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    conn.autocommit = False
    return done
