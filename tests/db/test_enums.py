"""Each enumeration is said once per language, and the database's CHECK constraints say the same values.

servicekit/enums.py is Python's copy (the UI's is generated from it, see tests/web_ui/test_api_contract.py);
here every `CHECK (column IN (...))` of the migrated schema is read back from PostgreSQL's catalogue.
"""

import re

import psycopg2
import pytest

from servicekit import enums

# Every CHECK of the schema with the table it is on (pg_get_constraintdef spells IN (...) as = ANY (ARRAY[...])).
SELECT_CHECKS = """
SELECT c.conrelid::regclass::text AS table_name, pg_get_constraintdef(c.oid) AS definition
FROM pg_constraint c
JOIN pg_namespace n ON n.oid = c.connamespace
WHERE c.contype = 'c' AND n.nspname = 'public'
"""
IN_LIST = re.compile(r"\(\(?(\w+)\)?(?:::text)? = ANY \(\(?ARRAY\[(.*?)\]\)?(?:::text\[\])?\)\)")
VALUE = re.compile(r"'((?:[^']|'')*)'::text")
# Columns whose values the contract names: each of them must have its enumeration in servicekit/enums.py.
CONTRACT_COLUMNS = ("severity", "status", "role", "rotation_type", "channel", "correlation")


@pytest.fixture(scope="module")
def constrained(database_url):
    """(table, column) -> the values the database allows, in their order."""
    conn = psycopg2.connect(database_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(SELECT_CHECKS)
            rows = cur.fetchall()
    finally:
        conn.close()
    found = {}
    for table, definition in rows:
        for column, values in IN_LIST.findall(definition):
            found[(table, column)] = tuple(v.replace("''", "'") for v in VALUE.findall(values))
    return found


def test_the_catalogue_is_read(constrained):
    assert constrained[("incidents", "severity")] == ("critical", "high", "medium", "low")


def test_every_contract_column_has_its_enumeration(constrained):
    unlisted = sorted(key for key in constrained if key[1] in CONTRACT_COLUMNS and key not in enums.DATABASE_COLUMNS)
    assert not unlisted, f"add these columns to servicekit.enums.DATABASE_COLUMNS: {unlisted}"


def test_the_database_allows_exactly_the_enumerations(constrained):
    present = {key: values for key, values in enums.DATABASE_COLUMNS.items() if key[0] in {t for t, _ in constrained}}
    assert present, "none of the enumerated tables exists"
    differ = {key: (values, constrained.get(key)) for key, values in present.items() if constrained.get(key) != values}
    assert not differ, f"servicekit.enums vs the database (table, column): (enums, database) {differ}"


@pytest.mark.parametrize(
    ("used", "enumeration"),
    [
        ("incident_management.lifecycle.rules:SEVERITIES", enums.SEVERITIES),
        ("incident_management.lifecycle.rules:STATUSES", enums.INCIDENT_STATUSES),
        ("alert_ingestion.schemas:SEVERITIES", enums.SEVERITIES),
        ("oncall_service.rotation:ROLES", enums.MEMBER_ROLES),
        ("oncall_service.rotation:ROTATION_TYPES", enums.ROTATION_TYPES),
        ("notification_service.schemas:STATUSES", enums.NOTIFICATION_STATUSES),
    ],
)
def test_services_use_the_one_definition(used, enumeration):
    import importlib

    module, name = used.split(":")
    assert getattr(importlib.import_module(module), name) is enumeration
