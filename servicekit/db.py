"""PostgreSQL access: one pool per process, a connection per request on `g`, caller-owned transactions.

Repository functions take a cursor and never commit; views and jobs open the
transaction with `transaction()` (commit on success, rollback on error).
"""

import contextlib
import logging
import select
import threading
import time

import psycopg2
import psycopg2.extras
from flask import current_app, g

from servicekit import audit, db_retry, prepared
from servicekit.rows import DictCursor

psycopg2.extras.register_uuid()

log = logging.getLogger(__name__)

_EXTENSION = "servicekit.db"


class PoolExhausted(psycopg2.OperationalError):
    """Every connection of this process is in use and none came back in time."""


class Database:
    """A small thread-safe pool that keeps its connections open.

    Connections are made on demand (after gunicorn forks) up to `maxconn` and
    kept idle afterwards: psycopg2's own pools close every connection above
    `minconn` on return, which costs a new backend per request under load.
    """

    def __init__(
        self,
        dsn,
        maxconn=10,
        connect_timeout=3,
        wait_timeout=10,
        application_name="servicekit",
        connect_patience=0,
        on_checkout=None,
    ):
        self.dsn = dsn
        # Called with each connection as it leaves the pool (the audit trail's who and from where).
        self.on_checkout = on_checkout
        self.maxconn = maxconn
        self.wait_timeout = wait_timeout
        # A restarting server refuses connections for a moment: keep trying this long before giving up.
        self.connect_patience = connect_patience
        self.connect_kwargs = {"connect_timeout": connect_timeout, "application_name": application_name}
        self._idle = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(maxconn)

    def getconn(self):
        if not self._slots.acquire(timeout=self.wait_timeout):
            raise PoolExhausted(f"all {self.maxconn} database connections busy for {self.wait_timeout}s")
        try:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is not None and not _usable(conn):  # the server restarted or ended it while pooled
                conn.close()
                conn = None
            if conn is None:
                conn = self._connect()
            if self.on_checkout is not None:
                self._checkout(conn)
        except BaseException:
            self._slots.release()
            raise
        return conn

    def _checkout(self, conn):
        try:
            self.on_checkout(conn)
        except BaseException:
            conn.close()  # never pooled again: its settings are unknown
            raise

    def _connect(self):
        deadline = time.monotonic() + self.connect_patience
        delay = 0.05
        while True:
            try:
                conn = psycopg2.connect(self.dsn, connection_factory=prepared.Connection, **self.connect_kwargs)
            except psycopg2.OperationalError:
                if time.monotonic() + delay > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            try:
                prepared.prepare_all(conn)
            except BaseException:
                conn.close()
                raise
            return conn

    def putconn(self, conn):
        status = conn.info.transaction_status if not conn.closed else None
        if status in (psycopg2.extensions.TRANSACTION_STATUS_INTRANS, psycopg2.extensions.TRANSACTION_STATUS_INERROR):
            conn.rollback()
            status = conn.info.transaction_status
        if status == psycopg2.extensions.TRANSACTION_STATUS_IDLE:
            with self._lock:
                self._idle.append(conn)
        elif not conn.closed:
            conn.close()
        self._slots.release()

    @contextlib.contextmanager
    def connection(self):
        """A pooled connection outside any request (background jobs, scrapes)."""
        conn = self.getconn()
        try:
            yield conn
        finally:
            self.putconn(conn)

    def close(self):
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def _usable(conn):
    """An idle connection has nothing to read: anything there is the server's goodbye (or EOF).

    One poll() without waiting, a few microseconds; psycopg2 itself only notices on the next query.
    """
    if conn.closed:
        return False
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLIN)
    return not poller.poll(0)


def init_app(app):
    """Bind a pool to the app from DATABASE_URL and return it."""
    database = Database(
        app.config["DATABASE_URL"],
        maxconn=app.config.get("DB_POOL_MAX", 10),
        application_name=app.name,
        connect_patience=app.config.get("DB_CONNECT_PATIENCE_SECONDS", 0),
        on_checkout=lambda conn: audit.tag_connection(conn, app.name),
    )
    app.extensions[_EXTENSION] = database
    app.teardown_appcontext(_release_connection)
    return database


def get_db(app=None):
    return (app or current_app).extensions[_EXTENSION]


def get_conn():
    """The request's connection, taken from the pool on first use."""
    if "db_conn" not in g:
        g.db_conn = get_db().getconn()
    else:
        audit.retag_if_changed(g.db_conn, current_app.name)
    return g.db_conn


def _release_connection(_exc=None):
    conn = g.pop("db_conn", None)
    if conn is not None:
        get_db().putconn(conn)


def release_connection():
    """Give the request's connection back before the request ends, e.g. before it waits on another service
    (a later statement takes one again)."""
    _release_connection()


@contextlib.contextmanager
def cursor_in_transaction(conn):
    """Run the block in one transaction on `conn`: commit on success, roll back on error."""
    with conn, conn.cursor(cursor_factory=DictCursor) as cur:
        yield cur


def transaction():
    """One transaction on the request's connection, yielding a dict cursor (see RequestCursor)."""
    return _request_cursor(autocommit=False)


@contextlib.contextmanager
def cursor_autocommit(conn):
    """Each statement commits on its own: no BEGIN/COMMIT round trips for one-statement work."""
    conn.autocommit = True
    try:
        with conn.cursor(cursor_factory=DictCursor) as cur:
            yield cur
    finally:
        if not conn.closed:
            conn.autocommit = False


def _request_cursor(autocommit, idempotent=False):
    return db_retry.request_cursor(get_db(), autocommit, idempotent)


def statement(idempotent=False):
    """Autocommit statements on the request's connection (each one atomic by itself).

    `idempotent`: running the first statement twice does no harm (e.g. an insert that a unique key
    makes a no-op the second time), so it is repeated on a fresh connection whenever the first was lost.
    """
    return _request_cursor(autocommit=True, idempotent=idempotent)


def ping(database):
    """Raise if the database does not answer a trivial query."""
    with database.connection() as conn, cursor_in_transaction(conn) as cur:
        cur.execute("SELECT 1")
