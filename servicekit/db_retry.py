"""A request's cursor that survives a connection the server ended before any work was done on it.

The pool checks a connection before handing it out, but one can still die between that check and
its first statement (a PostgreSQL restart under load). Then the statement is run once more on a
fresh connection when that cannot repeat anything:
- in a transaction, the first statement failed: nothing of the transaction had happened;
- in autocommit, when the caller says the statement is idempotent, or the server said it shut
  down or refused before running it (57P01 admin_shutdown, 57P03 cannot_connect_now); otherwise
  a connection that vanished mid-statement may have committed, and the error goes to the client
  (503 with Retry-After).
"""

import contextlib
import logging

import psycopg2
from flask import g

from servicekit.rows import DictCursor

log = logging.getLogger(__name__)

NOT_RUN = ("57P01", "57P03")  # the server ended the session before (or instead of) running the statement


class RequestCursor:
    """A dict cursor on the request's connection (`g.db_conn`) that may move to a fresh one once."""

    def __init__(self, database, autocommit, idempotent=False):
        self.database = database
        self.autocommit = autocommit
        self.idempotent = idempotent
        self.executed = False
        self._cursor = self._open()

    def _open(self):
        if "db_conn" not in g:
            g.db_conn = self.database.getconn()
        g.db_conn.autocommit = self.autocommit
        return g.db_conn.cursor(cursor_factory=DictCursor)

    def execute(self, query, params=None):
        try:
            self._cursor.execute(query, params)
        except psycopg2.OperationalError as exc:
            if not self._safe_to_repeat(exc):
                raise
            log.warning("database connection lost before the first statement (%s); once more on a fresh one", exc)
            self._replace_connection()
            self._cursor.execute(query, params)
        self.executed = True

    def _safe_to_repeat(self, exc):
        if self.executed:
            return False
        lost = bool(self._cursor.connection.closed) or exc.pgcode in NOT_RUN
        if self.autocommit and not self.idempotent:
            return exc.pgcode in NOT_RUN
        return lost

    def _replace_connection(self):
        lost = g.pop("db_conn")
        self.database.putconn(lost)  # closed (or closing): it leaves the pool
        with contextlib.suppress(psycopg2.Error):
            lost.close()
        self._cursor = self._open()

    @property
    def connection(self):
        return self._cursor.connection

    def __getattr__(self, name):  # fetchone, fetchall, rowcount, description, ...
        return getattr(self._cursor, name)

    def __iter__(self):
        return iter(self._cursor)


@contextlib.contextmanager
def request_cursor(database, autocommit, idempotent=False):
    """Commit on success, roll back on error (transactions); autocommit statements stand alone."""
    cursor = RequestCursor(database, autocommit, idempotent)
    try:
        yield cursor
        if not autocommit:
            cursor.connection.commit()
    except BaseException:
        conn = cursor.connection
        if not autocommit and not conn.closed:
            conn.rollback()
        raise
    finally:
        conn = cursor.connection
        with contextlib.suppress(psycopg2.Error):
            cursor.close()
        if autocommit and not conn.closed:
            conn.autocommit = False
