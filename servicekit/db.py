"""PostgreSQL access: one pool per process, a connection per request on `g`, caller-owned transactions.

Repository functions take a cursor and never commit; views and jobs open the
transaction with `transaction()` (commit on success, rollback on error).
"""

import contextlib
import threading

import psycopg2
import psycopg2.extras
import psycopg2.pool
from flask import current_app, g

psycopg2.extras.register_uuid()

_EXTENSION = "servicekit.db"


class Database:
    """A lazily created, thread-safe connection pool (created after gunicorn forks)."""

    def __init__(self, dsn, minconn=1, maxconn=10, connect_timeout=3, application_name="servicekit"):
        self.dsn = dsn
        self.minconn = minconn
        self.maxconn = maxconn
        self.connect_kwargs = {"connect_timeout": connect_timeout, "application_name": application_name}
        self._pool = None
        self._lock = threading.Lock()

    @property
    def pool(self):
        if self._pool is None:
            with self._lock:
                if self._pool is None:
                    self._pool = psycopg2.pool.ThreadedConnectionPool(
                        self.minconn, self.maxconn, self.dsn, **self.connect_kwargs
                    )
        return self._pool

    def getconn(self):
        conn = self.pool.getconn()
        if conn.closed:  # the server restarted since this connection was pooled
            self.pool.putconn(conn, close=True)
            conn = self.pool.getconn()
        return conn

    def putconn(self, conn):
        broken = bool(conn.closed) or conn.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_UNKNOWN
        if not broken and conn.info.transaction_status != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
            conn.rollback()
        self.pool.putconn(conn, close=broken)

    @contextlib.contextmanager
    def connection(self):
        """A pooled connection outside any request (background jobs, scrapes)."""
        conn = self.getconn()
        try:
            yield conn
        finally:
            self.putconn(conn)

    def close(self):
        if self._pool is not None:
            self._pool.closeall()
            self._pool = None


def init_app(app):
    """Bind a pool to the app from DATABASE_URL and return it."""
    database = Database(
        app.config["DATABASE_URL"],
        maxconn=app.config.get("DB_POOL_MAX", 10),
        application_name=app.name,
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
    return g.db_conn


def _release_connection(_exc=None):
    conn = g.pop("db_conn", None)
    if conn is not None:
        get_db().putconn(conn)


@contextlib.contextmanager
def cursor_in_transaction(conn):
    """Run the block in one transaction on `conn`: commit on success, roll back on error."""
    with conn, conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        yield cur


def transaction():
    """One transaction on the request's connection, yielding a dict cursor."""
    return cursor_in_transaction(get_conn())


def ping(database):
    """Raise if the database does not answer a trivial query."""
    with database.connection() as conn, cursor_in_transaction(conn) as cur:
        cur.execute("SELECT 1")
