"""The DB-path ceiling: bare Flask under our gunicorn settings, one lock + one insert + commit per alert.

`gunicorn -c servicekit/gunicorn_conf.py 'bench.ceiling:create_app()'` with DATABASE_URL set. What our
POST /api/v1/alerts cannot avoid doing per alert (parse JSON, serialise one key, store one row, commit
durably, answer JSON) and nothing else: no validation, no outbox, no second service.
"""

import os
import threading

import psycopg2
from flask import Flask, request

SEVERITIES = ("critical", "high", "medium", "low")

# The correlation key's row, locked like our correlation lock; then the alert, in the same transaction.
LOCK_KEY = "SELECT alert_count FROM ceiling_keys WHERE service = %(service)s AND severity = %(severity)s FOR UPDATE"
INSERT_ALERT = """
INSERT INTO ceiling_alerts (service, severity, message, labels)
VALUES (%(service)s, %(severity)s, %(message)s, %(labels)s::jsonb)
RETURNING id
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS ceiling_keys (
    service text NOT NULL, severity text NOT NULL, alert_count integer NOT NULL DEFAULT 0,
    PRIMARY KEY (service, severity)
);
CREATE TABLE IF NOT EXISTS ceiling_alerts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service text NOT NULL, severity text NOT NULL, message text NOT NULL, labels jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
"""

# The keys a level will use, made before it starts (the ceiling never creates one on the request path).
INSERT_KEYS = (
    "INSERT INTO ceiling_keys (service, severity) SELECT * FROM unnest(%s::text[], %s::text[]) ON CONFLICT DO NOTHING"
)


def prepare(database_url, keys):
    """Create the tables and the given (service, severity) keys."""
    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute(SCHEMA)
        cur.execute(INSERT_KEYS, ([s for s, _ in keys], [v for _, v in keys]))
    conn.close()


def create_app():
    app = Flask(__name__)
    dsn = os.environ["DATABASE_URL"]
    local = threading.local()  # one connection per gunicorn thread, kept open

    def connection():
        if getattr(local, "conn", None) is None or local.conn.closed:
            local.conn = psycopg2.connect(dsn, application_name="bench-ceiling")
        return local.conn

    @app.post("/api/v1/alerts")
    def post_alert():
        alert = request.get_json()
        conn = connection()
        params = {
            "service": alert["service"],
            "severity": alert["severity"],
            "message": alert["message"],
            "labels": app.json.dumps(alert.get("labels") or {}),
        }
        with conn, conn.cursor() as cur:
            cur.execute(LOCK_KEY, params)
            cur.execute(INSERT_ALERT, params)
            alert_id = cur.fetchone()[0]
        return {"alert_id": alert_id, "incident_id": None, "result": "stored"}, 201

    @app.get("/health")
    def health():
        return {"status": "ok"}

    return app
