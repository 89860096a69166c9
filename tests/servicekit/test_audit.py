"""The audit trail: every change to a service's records is appended, with who, from where, before and after."""

import pathlib
import re
import threading
import weakref

import psycopg2
import pytest
from flask import g

import alert_ingestion
import incident_management
import oncall_service
from servicekit import db
from servicekit.audit import context

MIGRATIONS = pathlib.Path(__file__).resolve().parents[2] / "db" / "migrations"
# Tables that are not records someone changes: queues, logs, counters, copies and the trails themselves.
NOT_RECORDS = {
    "alerts": "what a source sent, itself the record of it (never edited by a person)",
    "alert_outbox": "queue",
    "alert_resolution_outbox": "queue",
    "alert_resolutions": "queue",
    "ingest_rate_windows": "counters",
    "incident_alerts": "copies of alerts, shown on the timeline",
    "incident_timeline": "the incident's own history",
    "paging_jobs": "queue",
    "escalation_state": "due work (the timeline says what it did)",
    "incident_escalations": "the escalation log (read through the API)",
    "notifications": "the delivery log",
    "alert_acknowledgement_outbox": "queue",
    "user_sessions": "sign-ins (ended by logout or expiry), not records someone edits",
    "login_failures": "counters for the lockout",
    "held_alerts": "copies of alerts waiting for their group's threshold",
    "alert_reference_outbox": "queue",
    "incident_resolution_notices": "queue",
    "incident_action_links_used": "the single-use ledger of action links (the action is on the timeline)",
    "webhook_events": "outbox of outgoing webhooks",
    "webhook_deliveries": "the delivery log of outgoing webhooks",
    "incident_audit": "audit trail",
    "oncall_audit": "audit trail",
    "ingestion_audit": "audit trail",
}


@pytest.fixture
def incidents(make_app):
    return make_app(incident_management.create_app)


TRAIL = "SELECT actor, client_address, action, record_type, record_id, before, after FROM {table} ORDER BY id"


def _trail(sql, table):
    return sql(TRAIL.format(table=table))


def test_an_incident_change_is_recorded_with_who_from_where_before_and_after(incidents, sql):
    caller = {}

    @incidents.before_request
    def signed_in():  # what servicekit.auth does for a signed-in caller
        g.audit_actor = caller.get("actor")

    client = incidents.test_client()
    created = client.post("/api/v1/incidents", json={"title": "Disk full", "service": "db", "severity": "high"}).json
    caller["actor"] = "alice@example.com"
    client.patch(f"/api/v1/incidents/{created['id']}", json={"status": "acknowledged"})
    client.patch(f"/api/v1/incidents/{created['id']}", json={"note": {"author": "x", "content": "on it"}})

    rows = _trail(sql, "incident_audit")
    assert [(actor, action, kind) for actor, _, action, kind, *_ in rows] == [
        ("anonymous", "create", "incidents"),
        ("alice@example.com", "update", "incidents"),
        ("alice@example.com", "create", "incident_notes"),
    ]
    _, client_address, _, _, record_id, before, after = rows[1]
    assert (client_address, record_id) == ("127.0.0.1", created["id"])
    assert (before["status"], after["status"]) == ("open", "acknowledged")
    assert "search_vector" not in after
    assert rows[2][4] == created["id"]  # a note is recorded against its incident


def test_attaching_an_alert_is_not_a_change_someone_made(incidents, sql):
    client = incidents.test_client()
    created = client.post("/api/v1/incidents", json={"title": "Disk full", "service": "db", "severity": "high"}).json
    sql("UPDATE incidents SET alert_count = alert_count + 1, updated_at = now() WHERE id = %s", (created["id"],))
    assert len(_trail(sql, "incident_audit")) == 1


def test_secrets_never_enter_the_trail(make_app, sql):
    ingestion = make_app(alert_ingestion.create_app)
    answer = ingestion.test_client().post("/api/v1/integration-keys", json={"name": "alertmanager"})
    assert answer.status_code == 201, answer.json
    ((_, _, action, kind, record_id, _, after),) = _trail(sql, "ingestion_audit")
    assert (action, kind, record_id) == ("create", "integration_keys", answer.json["id"])
    assert after["name"] == "alertmanager"
    assert not [key for key in after if "digest" in key or key == "key"]


def test_people_and_schedules_are_recorded_against_their_record(make_app, sql):
    oncall = make_app(oncall_service.create_app)
    body = {
        "team": "payments",
        "rotation_type": "weekly",
        "members": [{"name": "Alice", "email": "alice@example.com", "role": "primary"}],
    }
    schedule = oncall.test_client().post("/api/v1/schedules", json=body)
    assert schedule.status_code == 201, schedule.json
    kinds = {(kind, record_id) for _, _, _, kind, record_id, _, _ in _trail(sql, "oncall_audit")}
    assert ("schedules", schedule.json["id"]) in kinds
    assert ("schedule_members", schedule.json["id"]) in kinds
    assert "users" in {kind for kind, _ in kinds}


def test_background_jobs_act_under_their_own_names(incidents, sql):
    def job():
        with db.get_db(incidents).connection() as conn, db.cursor_in_transaction(conn) as cur:
            cur.execute("INSERT INTO incidents (title, service, severity) VALUES ('x', 'db', 'low')")

    thread = threading.Thread(target=job, name="heartbeat-check")
    thread.start()
    thread.join()
    (row,) = _trail(sql, "incident_audit")
    assert row[:2] == ("job:heartbeat-check", None)


def test_a_connection_is_told_again_only_when_the_caller_changes(incidents, sql, monkeypatch):
    told = []

    class Counting(weakref.WeakKeyDictionary):
        def __setitem__(self, conn, tag):
            told.append(tag[0])
            super().__setitem__(conn, tag)

    monkeypatch.setattr(context, "_told", Counting())
    caller = {"actor": "alice@example.com"}

    @incidents.before_request
    def signed_in():
        g.audit_actor = caller["actor"]

    client = incidents.test_client()
    created = client.post("/api/v1/incidents", json={"title": "Disk full", "service": "db", "severity": "high"}).json
    for actor, note in [("alice@example.com", "a"), ("bob@example.com", "b"), ("alice@example.com", "c")]:
        caller["actor"] = actor
        client.get(f"/api/v1/incidents/{created['id']}")
        client.post(f"/api/v1/incidents/{created['id']}/notes", json={"author": "x", "content": note})

    # One pooled connection: told once per change of caller, and each write is still its caller's.
    assert told == ["alice@example.com", "bob@example.com", "alice@example.com"]
    notes = [row[0] for row in _trail(sql, "incident_audit") if row[3] == "incident_notes"]
    assert notes == ["alice@example.com", "bob@example.com", "alice@example.com"]


def test_a_tag_set_inside_a_rolled_back_transaction_is_set_again(incidents):
    with incidents.test_request_context("/"):
        g.audit_actor = "alice@example.com"
        with db.get_db(incidents).connection() as conn:
            with conn.cursor() as cur:
                cur.execute("SELECT 1")  # a transaction is open: the tag is set inside it
            context.tag_connection(conn, incidents.name)
            conn.rollback()  # which undoes it
            context.tag_connection(conn, incidents.name)
            with conn.cursor() as cur:
                cur.execute("SELECT current_setting('audit.actor', true)")
                assert cur.fetchone()[0] == "alice@example.com"


ROW = "INSERT INTO {table} (actor, action, record_type) VALUES ('alice', 'create', 'incidents')"


@pytest.mark.parametrize("statement", ["UPDATE {t} SET actor = 'mallory'", "DELETE FROM {t}", "TRUNCATE {t}"])
@pytest.mark.parametrize("table", ["incident_audit", "oncall_audit", "ingestion_audit"])
def test_nothing_updates_or_deletes_the_trail(sql, db_url, table, statement):
    sql(ROW.format(table=table))
    with (
        psycopg2.connect(db_url) as conn,
        conn.cursor() as cur,
        pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"),
    ):
        cur.execute(statement.format(t=table))


def test_the_trail_is_listed_newest_first_with_filters(incidents, sql):
    client = incidents.test_client()
    for title in ("one", "two", "three"):
        client.post("/api/v1/incidents", json={"title": title, "service": "db", "severity": "low"})
    page = client.get("/api/v1/audit/incidents?page_size=2").json
    assert (page["total"], len(page["items"])) == (3, 2)
    assert page["items"][0]["after"]["title"] == "three"
    one = sql("SELECT record_id FROM incident_audit ORDER BY id LIMIT 1")[0][0]
    only = client.get(f"/api/v1/audit/incidents?record_id={one}&action=create").json
    assert [item["after"]["title"] for item in only["items"]] == ["one"]
    assert client.get("/api/v1/audit/incidents?action=update").json["total"] == 0
    assert client.get("/api/v1/audit/incidents?actor=anonymous").json["total"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("action=erase", "action"),
        ("since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "since"),
        ("page=0", "page"),
        ("until=not-a-time", "until"),
    ],
)
def test_bad_audit_queries_are_422_naming_the_field(incidents, query, field):
    answer = incidents.test_client().get(f"/api/v1/audit/incidents?{query}")
    assert answer.status_code == 422
    assert field in str(answer.json["errors"])


def _tables_by_owner():
    created, audited = {}, set()
    for path in sorted(MIGRATIONS.glob("*.sql")):
        text = re.sub(r"--[^\n]*", "", path.read_text())
        for table in re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", text, re.IGNORECASE):
            created[table] = path.name
        for table in re.findall(r"\bON (\w+)\s+FOR EACH ROW EXECUTE FUNCTION audit_record", text, re.IGNORECASE):
            audited.add(table)
        # A conditional audit trigger (FOR EACH ROW WHEN (...) EXECUTE FUNCTION audit_record), within one statement.
        conditional = r"\bON (\w+)\s+FOR EACH ROW\s+WHEN\b[^;]*?EXECUTE FUNCTION audit_record"
        for table in re.findall(conditional, text, re.IGNORECASE):
            audited.add(table)
    for table in re.findall(r"DROP TABLE (?:IF EXISTS )?(\w+)", "".join(p.read_text() for p in MIGRATIONS.glob("*"))):
        created.pop(table, None)
    return created, audited


def test_every_record_table_is_audited():
    """A new table is either audited (a trigger in its owner's migration) or named here as not a record."""
    created, audited = _tables_by_owner()
    left_out = sorted(set(created) - audited - set(NOT_RECORDS))
    assert left_out == [], "add an audit_record trigger (see 0131-0133) or list the table in NOT_RECORDS"
    assert not audited & set(NOT_RECORDS)
