"""Issue 13: a PostgreSQL restart is invisible to clients; a database that is down is 503 with Retry-After.

The restarts are of a private cluster these tests start from the PostgreSQL binaries, never of
the machine's shared server.
"""

import shutil
import uuid

import psycopg2
import pytest

import alert_ingestion
import incident_management
import notification_service
import oncall_service
from nativestack import postgres
from servicekit import db
from tests.ports import closed_port_url, free_port

ALERT = {"service": "restart", "severity": "low", "message": "survives a database restart"}


@pytest.fixture(scope="module")
def private_server():
    data = postgres.DATA_ROOT / f"restart-test-{uuid.uuid4().hex[:8]}"
    url = postgres.start_private_cluster(data, free_port())
    database = postgres.create_database(url, "restart_test")
    postgres.migrate(database)
    yield data, database
    postgres.stop_private_cluster(data)
    shutil.rmtree(data, ignore_errors=True)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_requests_after_a_restart_get_fresh_connections(private_server, mode):
    data, database = private_server
    app = alert_ingestion.create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database,
            "BACKGROUND_JOBS": False,
            "INCIDENT_MANAGEMENT_URL": closed_port_url(),
        }
    )
    client = app.test_client()
    try:
        # Several pooled connections, all of which the restart ends.
        with app.app_context():
            pool = db.get_db(app)
            held = [pool.getconn() for _ in range(4)]
            for conn in held:
                pool.putconn(conn)
        assert client.post("/api/v1/alerts", json=ALERT).status_code == 202
        postgres.restart_private_cluster(data, mode)
        answers = [client.post("/api/v1/alerts", json={**ALERT, "dedup_key": f"{mode}-{i}"}) for i in range(6)]
        assert [a.status_code for a in answers] == [202] * 6, [a.get_json() for a in answers]
        assert client.get("/health").status_code == 200
    finally:
        db.get_db(app).close()


def test_a_transaction_whose_connection_died_runs_on_a_fresh_one(make_app, db_url, sql):
    app = make_app(oncall_service.create_app)
    with app.test_request_context():
        victim = db.get_conn()
        pid = victim.get_backend_pid()
        sql("SELECT pg_terminate_backend(%s)", (pid,))
        with db.transaction() as cur:
            cur.execute("SELECT pg_backend_pid() AS pid")
            assert cur.fetchone()["pid"] != pid
        assert victim.closed


def test_an_autocommit_statement_is_not_repeated_when_its_outcome_is_unknown(make_app, sql):
    app = make_app(oncall_service.create_app)
    with app.test_request_context():
        victim = db.get_conn()
        sql("SELECT pg_terminate_backend(%s)", (victim.get_backend_pid(),))
        with pytest.raises(psycopg2.OperationalError), db.statement() as cur:
            cur.execute("SELECT 1")


def test_an_idempotent_autocommit_statement_is_repeated_on_a_fresh_connection(make_app, sql):
    app = make_app(oncall_service.create_app)
    with app.test_request_context():
        victim = db.get_conn()
        pid = victim.get_backend_pid()
        sql("SELECT pg_terminate_backend(%s)", (pid,))
        with db.statement(idempotent=True) as cur:
            cur.execute("SELECT pg_backend_pid() AS pid")
            assert cur.fetchone()["pid"] != pid


def test_the_pool_replaces_a_connection_the_server_ended_while_idle(make_app, sql):
    app = make_app(oncall_service.create_app)
    pool = db.get_db(app)
    conn = pool.getconn()
    pid = conn.get_backend_pid()
    pool.putconn(conn)
    sql("SELECT pg_terminate_backend(%s)", (pid,))
    import time

    time.sleep(0.2)
    fresh = pool.getconn()
    try:
        assert fresh.get_backend_pid() != pid
    finally:
        pool.putconn(fresh)


@pytest.mark.parametrize(
    ("create_app", "path"),
    [
        (alert_ingestion.create_app, "/api/v1/alerts"),
        (incident_management.create_app, "/api/v1/incidents"),
        (oncall_service.create_app, "/api/v1/schedules"),
        (notification_service.create_app, "/api/v1/notifications"),
    ],
)
def test_database_down_is_503_with_retry_after_on_every_service(create_app, path):
    down = closed_port_url().replace("http://", "postgresql://postgres@") + "/nothing"
    app = create_app(
        {"TESTING": True, "DATABASE_URL": down, "BACKGROUND_JOBS": False, "DB_CONNECT_PATIENCE_SECONDS": 0.2}
    )
    client = app.test_client()
    for answer in (client.get(path), client.get("/health")):
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == "2"
        assert answer.mimetype == "application/json"
    assert client.get(path).json["message"] == "database unavailable, try again shortly"
