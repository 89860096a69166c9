"""Migrations 0190-0192 split shared tables on a database that already holds alerts, incidents and resolutions."""

import uuid

import psycopg2
import pytest
from yoyo import get_backend, read_migrations

from nativestack import postgres

BEFORE_SPLIT = "0040_queue_tables_vacuum"


@pytest.fixture
def old_database(pg_server):
    """A database migrated up to the schema before the split; dropped afterwards."""
    name = f"test_split_{uuid.uuid4().hex[:8]}"
    url = postgres.create_database(pg_server, name)
    backend = get_backend(url)
    migrations = read_migrations(str(postgres.MIGRATIONS))
    ids = [migration.id for migration in migrations]
    wanted = set(ids[: ids.index(BEFORE_SPLIT) + 1])
    with backend.lock():
        backend.apply_migrations(backend.to_apply(migrations.filter(lambda m: m.id in wanted)))
    backend.connection.close()
    yield url
    postgres.drop_database(pg_server, name)


def run(url, query):
    conn = psycopg2.connect(url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(query)
            return cur.fetchall() if cur.description else None
    finally:
        conn.close()


def test_the_split_copies_what_each_service_needs(old_database):
    run(
        old_database,
        """
        INSERT INTO alerts (id, service, severity, message, labels, source, status, occurred_at, resolved_at) VALUES
          ('00000000-0000-4000-8000-000000000001', 'web', 'high', 'firing one', '{"pod": "a"}', 'api', 'firing',
           '2026-11-27T09:00:00Z', NULL),
          ('00000000-0000-4000-8000-000000000002', 'web', 'high', 'recorded', '{}', 'alertmanager', 'resolved',
           '2026-11-27T09:00:00Z', '2026-11-27T09:05:00Z'),
          ('00000000-0000-4000-8000-000000000003', 'web', 'high', 'queued', '{}', 'alertmanager', 'resolved',
           '2026-11-27T09:00:00Z', '2026-11-27T09:06:00Z');
        INSERT INTO incidents (id, title, service, severity) VALUES
          ('00000000-0000-4000-8000-0000000000aa', 'web high', 'web', 'high');
        INSERT INTO incident_alerts (alert_id, incident_id, correlation)
          SELECT id, '00000000-0000-4000-8000-0000000000aa', 'new_incident' FROM alerts;
        INSERT INTO alert_resolutions (alert_id) VALUES ('00000000-0000-4000-8000-000000000003');
        INSERT INTO notifications (incident_id, channel, recipient, message, max_attempts)
          VALUES ('00000000-0000-4000-8000-0000000000aa', 'log', 'alice', 'web down', 3);
        """,
    )
    postgres.migrate(old_database)

    assert run(
        old_database, "SELECT right(id::text, 1), incident_id IS NOT NULL, correlation FROM alerts ORDER BY id"
    ) == [
        ("1", True, "new_incident"),
        ("2", True, "new_incident"),
        ("3", True, "new_incident"),
    ]
    copies = run(
        old_database,
        "SELECT right(alert_id::text, 1), message, labels, source, resolved_at IS NOT NULL FROM incident_alerts "
        "ORDER BY alert_id",
    )
    # The queued resolution stays to be recorded: only the recorded one counts as resolved on the attachment.
    assert copies == [
        ("1", "firing one", {"pod": "a"}, "api", False),
        ("2", "recorded", {}, "alertmanager", True),
        ("3", "queued", {}, "alertmanager", False),
    ]
    assert run(old_database, "SELECT source, resolved_at::text FROM alert_resolutions") == [
        ("alertmanager", "2026-11-27 09:06:00+00")
    ]
    # Rows of one service may now name ids the other service does not hold.
    run(
        old_database,
        "INSERT INTO notifications (incident_id, channel, recipient, message, max_attempts) "
        "VALUES ('00000000-0000-4000-8000-0000000000bb', 'log', 'bob', 'anything', 3)",
    )
    run(old_database, "DELETE FROM alerts")
    assert run(old_database, "SELECT count(*) FROM incident_alerts") == [(3,)]
