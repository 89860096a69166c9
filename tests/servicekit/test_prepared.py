"""servicekit.prepared on a real PostgreSQL: a pool connection prepares the hot statements once and runs
them by EXECUTE with the same answers; elsewhere, or where PREPARE failed, the plain statement runs."""

import psycopg2
import pytest

from servicekit import db, prepared

ECHO = prepared.Prepared(
    "test_echo", "SELECT %(word)s::text || '%%' AS said, %(n)s::int * 2 AS twice, %(word)s::text AS again"
)
MISSING = prepared.Prepared("test_missing", "SELECT * FROM no_such_table WHERE id = %(id)s")


def test_parameters_become_numbered_once_each_and_percent_signs_literal():
    assert ECHO.prepare_sql == (
        "PREPARE test_echo AS SELECT $1::text || '%' AS said, $2::int * 2 AS twice, $1::text AS again"
    )
    assert ECHO.execute_sql == "EXECUTE test_echo (%(word)s, %(n)s)"


def test_a_name_is_one_statement():
    with pytest.raises(ValueError, match="test_echo"):
        prepared.Prepared("test_echo", "SELECT 1")


def test_a_pool_connection_executes_what_it_prepared_and_skips_what_failed(db_url):
    pool = db.Database(db_url, maxconn=1)
    try:
        with pool.connection() as conn:
            assert "test_echo" in conn.prepared
            assert "test_missing" not in conn.prepared  # no such table: it runs unprepared (and fails as such)
            with conn.cursor() as cur:
                ECHO.run(cur, {"word": "50", "n": 21})
                assert cur.fetchone() == ("50%", 42, "50")
                assert cur.query.decode().startswith("EXECUTE test_echo")
                cur.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'test_echo'")
                assert cur.fetchone() == (1,)
            conn.rollback()
            with conn.cursor() as cur, pytest.raises(psycopg2.errors.UndefinedTable):
                MISSING.run(cur, {"id": 1})
    finally:
        pool.close()


def test_a_connection_from_elsewhere_runs_the_plain_statement(db_url):
    conn = psycopg2.connect(db_url)
    try:
        with conn.cursor() as cur:
            prepared.run_all(cur, [ECHO, ECHO], {"word": "a", "n": 1})
            assert cur.fetchone() == ("a%", 2, "a")
            assert not cur.query.decode().startswith("EXECUTE")
    finally:
        conn.close()
