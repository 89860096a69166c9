"""Fixtures shared by every service's tests: a real PostgreSQL database, apps, live servers, the native stack.

The session gets databases of its own (created here, dropped at the end) on the
server from DATABASE_URL, else 127.0.0.1:5432, else a private cluster started
from the PostgreSQL binaries.
"""

import os
import pathlib
import tempfile
import threading
import uuid

# Metrics are written the way gunicorn workers write them; must be set before prometheus_client loads.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="test-metrics-"))

import psycopg2
import pytest
from werkzeug.serving import make_server

from nativestack import Stack, postgres
from servicekit import db, listener

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Ports and state folder of the tests' own stack: away from `make up` (offset 0, .stack).
STACK_PORT_OFFSET = int(os.environ.get("TEST_STACK_PORT_OFFSET", "10000"))
STACK_DIR = ROOT / os.environ.get("TEST_STACK_DIR", ".stack-test")
_SESSION = uuid.uuid4().hex[:8]
# The allow-list that lets webhooks reach the tests' local receivers (refused by default, see servicekit.outbound).
LOCAL_RECEIVERS = "127.0.0.1"
GATEWAY_ADDRESS = "127.0.0.1"


@pytest.fixture(scope="session")
def pg_server():
    """URL of a reachable server (any database on it), started privately if there is none."""
    url, started = postgres.find_server()
    yield url
    if started:
        postgres.stop_private_cluster()


@pytest.fixture(scope="session")
def make_database(pg_server):
    """Factory: a migrated database of this session's own, dropped at the end."""
    created = []

    def make(suffix):
        name = f"test_{_SESSION}_{suffix}"
        url = postgres.create_database(pg_server, name)
        postgres.migrate(url)
        created.append(name)
        return url

    yield make
    for name in created:
        postgres.drop_database(pg_server, name)


@pytest.fixture(scope="session")
def database_url(make_database):
    return make_database("unit")


@pytest.fixture
def db_url(database_url):
    """The unit-test database, emptied before the test."""
    conn = psycopg2.connect(database_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "SELECT string_agg(format('%I', tablename), ', ') FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename NOT LIKE '\\_yoyo%' AND tablename NOT LIKE 'yoyo%'"
            )
            tables = cur.fetchone()[0]
            if tables:
                # The audit tables refuse TRUNCATE by trigger; a test database is emptied with triggers off.
                cur.execute("SET session_replication_role = replica")
                cur.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        conn.close()
    return database_url


@pytest.fixture
def sql(db_url):
    """Run a query on the test database and return its rows (for assertions and seeding)."""
    conn = psycopg2.connect(db_url)
    conn.autocommit = True

    def run(query, params=None):
        with conn.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall() if cur.description else None

    yield run
    conn.close()


@pytest.fixture
def make_app(db_url):
    """Factory: a service app on the test database, background jobs off unless asked for.

    Each app's connection pool and listeners are closed after the test: PostgreSQL's connections are
    shared with the tests' stack.
    """
    made = []

    def make(create_app, **config):
        app = create_app({"TESTING": True, "DATABASE_URL": db_url, "BACKGROUND_JOBS": False, **config})
        made.append(app)
        return app

    yield make
    listener.stop_all()
    for app in made:
        db.get_db(app).close()


@pytest.fixture
def live_server():
    """Factory: serve an app over real HTTP on a free port in a thread; returns its base URL."""
    servers = []

    def serve(app):
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield serve
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def stack(make_database):
    """The native stack (gunicorn services and the rest) on its own ports, state folder and database."""
    native = Stack(
        STACK_DIR,
        port_offset=STACK_PORT_OFFSET,
        database_url=make_database("stack"),
        settings={
            "WEBHOOK_ALLOWED_HOSTS": LOCAL_RECEIVERS,  # tests' webhook receivers listen on 127.0.0.1
            # The gateway (nginx on 127.0.0.1) names the client in X-Forwarded-For; tests call from other
            # loopback addresses (127.0.0.5, ...) to tell a client from it (tests/web_ui/test_client_address.py).
            "TRUSTED_PROXIES": GATEWAY_ADDRESS,
            "PAGING_CONTACT_METHODS": "true",  # as compose runs: people are paged by their own rules and methods
            # The browser tests load page after page: a closed page's live stream frees its slot (LIVE_MAX_STREAMS
            # per process) at the next heartbeat, so it comes soon.
            "LIVE_HEARTBEAT_SECONDS": "1",
            # Outgoing webhooks retry within seconds, not minutes, so that a test sees the retries and the end.
            "WEBHOOK_RETRY_BASE_SECONDS": "0.5",
            "WEBHOOK_MAX_ATTEMPTS": "4",
        },
    )
    native.up(timeout=90)
    yield native
    native.down()
