"""One owner per table: migrations declare their service, and no service's SQL names another service's table.

Each migration starts with `-- owner: <service>`. The tables it creates belong to
that service; `platform` migrations create nothing and only tune storage. A
one-time copy of another service's data while splitting a table is declared with
`-- copies from: <table>, ...` and allowed in that migration only.
"""

import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MIGRATIONS = sorted((ROOT / "db" / "migrations").glob("*.sql"))
SERVICES = ("alert_ingestion", "incident_management", "oncall_service", "notification_service")
OWNERS = (*SERVICES, "platform")

CREATE_TABLE = re.compile(r"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.IGNORECASE)
# DDL that changes a table (storage parameters, `ALTER TABLE x SET (...)`, are left to `platform`).
CHANGES_TABLE = re.compile(
    r"\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(\w+)\s+(?!SET\s*\()"
    r"|\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?\w*\s*ON\s+(?:ONLY\s+)?(\w+)"
    r"|\bCREATE\s+(?:OR\s+REPLACE\s+)?TRIGGER\s+\w+\s+.*?\bON\s+(\w+)"
    r"|\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(\w+)",
    re.IGNORECASE | re.DOTALL,
)
# Tables that a statement reads or writes.
NAMES_TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE|REFERENCES)\s+(?:ONLY\s+)?(\w+)")
LOOKS_LIKE_SQL = re.compile(r"\b(?:SELECT|INSERT|UPDATE|DELETE)\b")
STORAGE_SETTINGS = re.compile(r"\bALTER\s+TABLE\s+\w+\s+SET\s*\([^)]*\)", re.IGNORECASE)


def header(text, name):
    found = re.search(rf"^--\s*{name}:\s*(.+)$", text, re.MULTILINE)
    return [part.strip() for part in found.group(1).split(",")] if found else []


def without_comments(text):
    """The statements of a migration, without comments and without storage settings (anyone may tune those)."""
    return STORAGE_SETTINGS.sub("", re.sub(r"--[^\n]*", "", text))


def migrations():
    return [(path.name, path.read_text()) for path in MIGRATIONS]


def table_owners():
    owners = {}
    for name, text in migrations():
        (owner,) = header(text, "owner") or [None]
        for table in CREATE_TABLE.findall(without_comments(text)):
            assert table not in owners, f"{table} is created twice ({name})"
            owners[table] = owner
    return owners


@pytest.mark.parametrize(("name", "text"), migrations(), ids=[path.name for path in MIGRATIONS])
def test_every_migration_declares_its_owner(name, text):
    owner = header(text, "owner")
    assert len(owner) == 1 and owner[0] in OWNERS, f"{name}: first lines need `-- owner: <one of {OWNERS}>`"
    if owner[0] == "platform":
        assert not CREATE_TABLE.search(without_comments(text)), f"{name}: a platform migration creates no table"


@pytest.mark.parametrize(("name", "text"), migrations(), ids=[path.name for path in MIGRATIONS])
def test_a_migration_changes_only_its_owners_tables(name, text):
    (owner,) = header(text, "owner")
    owners = table_owners()
    body = without_comments(text)
    changed = {table for groups in CHANGES_TABLE.findall(body) for table in groups if table}
    others = {table for table in changed if owners.get(table, owner) != owner}
    assert not others, f"{name} ({owner}) changes tables of other services: {sorted(others)}"
    named = {table for table in NAMES_TABLE.findall(body) if table in owners}
    copied = set(header(text, "copies from"))
    # Foreign keys across services are checked on the migrated schema (old migrations made some, later ones drop them).
    read = {table for table in named - changed - copied if owners[table] != owner}
    read -= {table for table in re.findall(r"\bREFERENCES\s+(\w+)", body)}
    assert not read, f"{name} ({owner}) reads tables of other services without `-- copies from:`: {sorted(read)}"


def sql_strings(path):
    """Every string constant of a module that reads like SQL; an f-string is read whole, its fields as `?`."""
    tree = ast.parse(path.read_text())
    parts_of_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(part.value if isinstance(part, ast.Constant) else " ? " for part in node.values)
            parts_of_fstrings.update(id(part) for part in node.values)
            if LOOKS_LIKE_SQL.search(text):
                yield node.lineno, text
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts_of_fstrings
        if is_text and LOOKS_LIKE_SQL.search(node.value):
            yield node.lineno, node.value


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_names_a_table_another_service_owns(service):
    owners = table_owners()
    assert service in set(owners.values()), f"no migration is owned by {service}"
    trespasses = []
    for path in sorted((ROOT / service).rglob("*.py")):
        for line, text in sql_strings(path):
            for table in NAMES_TABLE.findall(text):
                if owners.get(table, service) != service:
                    trespasses.append(f"{path.relative_to(ROOT)}:{line} names {table} ({owners[table]}'s)")
    assert not trespasses, "\n".join(trespasses)


def test_the_check_sees_a_trespass(tmp_path):
    """The scan finds a table name in a query constant, including the constant parts of an f-string."""
    module = tmp_path / "module.py"
    module.write_text('COLUMNS = "a.id"\nQUERY = f"SELECT {COLUMNS} FROM alerts a JOIN incident_alerts ia ON x"\n')
    names = {table for _line, text in sql_strings(module) for table in NAMES_TABLE.findall(text)}
    assert names == {"alerts", "incident_alerts"}
    assert table_owners()["incident_alerts"] == "incident_management"


def test_no_foreign_key_crosses_a_service_line(sql):
    owners = table_owners()
    keys = sql(
        "SELECT conname, conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"
    )
    crossing = [f"{name}: {table} -> {target}" for name, table, target in keys if owners[table] != owners[target]]
    assert not crossing, crossing


def test_every_table_of_the_schema_has_an_owner(sql):
    tables = sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '%%yoyo%%'")
    owners = table_owners()
    assert {table for (table,) in tables} <= set(owners), "a table was created outside `CREATE TABLE` in a migration"
