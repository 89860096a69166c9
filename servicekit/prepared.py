"""Hot statements that PostgreSQL plans once per connection (PREPARE, then EXECUTE) instead of on every call.

Planning the alert path's statements cost about 0.37 ms of PostgreSQL's CPU per alert (pg_stat_statements
with track_planning: the attach, the alert's insert, the correlation lookup). A statement is written as any
other, with %(name)s parameters; `Prepared(name, sql)` turns it into a PREPARE with $n parameters, which the
pool runs on each new connection (servicekit.db), and `run(cur, params)` EXECUTEs it there. On a connection
that has not prepared it (one made outside the pool, or one where PREPARE failed, e.g. before migrations
ran) the plain statement runs instead, so nothing depends on it but speed.

Not for a transaction-pooling proxy (PgBouncer's transaction mode), where one session's prepared statements
are not the next transaction's.
"""

import logging
import re

import psycopg2.extensions

log = logging.getLogger(__name__)

_PARAMETER = re.compile(r"%\((\w+)\)s")
_made = {}


class Connection(psycopg2.extensions.connection):
    """A pool connection that knows which statements it has prepared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared = set()


class Prepared:
    def __init__(self, name, sql):
        names = []

        def number(match):
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        self.name, self.sql = name, sql
        # PREPARE runs without parameters, so psycopg2 leaves its text alone: a literal %% becomes %.
        self.prepare_sql = f"PREPARE {name} AS {_PARAMETER.sub(number, sql).replace('%%', '%')}"
        self.execute_sql = (
            f"EXECUTE {name} ({', '.join(f'%({key})s' for key in names)})" if names else f"EXECUTE {name}"
        )
        if _made.setdefault(name, self) is not self:
            raise ValueError(f"two prepared statements are named {name}")

    def run(self, cur, params):
        """Execute on `cur` with `params` (a dict), prepared when the connection has it."""
        run_all(cur, [self], params)


def run_all(cur, statements, params):
    """Several statements in one round trip, with one dict of parameters; the cursor holds the last one's rows."""
    here = getattr(cur.connection, "prepared", ())
    cur.execute(";\n".join(s.execute_sql if s.name in here else s.sql for s in statements), params)


def prepare_all(conn):
    """Prepare every statement made so far on a new connection (autocommit, one at a time: one that fails,
    say for a table the migrations have not made yet, leaves the others)."""
    autocommit, conn.autocommit = conn.autocommit, True
    try:
        with conn.cursor() as cur:
            for name, statement in _made.items():
                try:
                    cur.execute(statement.prepare_sql)
                except psycopg2.ProgrammingError as error:
                    log.warning("statement %s not prepared (runs unprepared): %s", name, str(error).strip())
                else:
                    conn.prepared.add(name)
    finally:
        conn.autocommit = autocommit
