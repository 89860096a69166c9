"""Moving alerts between incidents on a real database: move, split, merge, with timelines, counts, the
resolution bookkeeping, alert ingestion's reference queue, the 4xx answers and the responder role."""

import concurrent.futures
import json
import select
import threading
import uuid

import psycopg2
import pytest
import requests

import incident_management
import oncall_service
from tests.auth.conftest import ADMIN_API_KEY, AUTH_ON, TEST_PASSWORD, sign_in

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def client(make_app):
    return make_app(incident_management.create_app).test_client()


def attach(client, service, message="5xx above 2%", severity="high"):
    body = {"alert_id": str(uuid.uuid4()), "service": service, "severity": severity, "message": message}
    response = client.post("/api/v1/incidents/alerts", json=body)
    assert response.status_code == 200, response.json
    return response.json


def detail(client, incident_id):
    return client.get(f"/api/v1/incidents/{incident_id}").json


def events(client, incident_id, kind):
    return [e for e in detail(client, incident_id)["timeline"] if e["event_type"] == kind]


def move(client, incident_id, alert_id, to):
    return client.post(f"/api/v1/incidents/{incident_id}/alerts/{alert_id}/move", json={"to": to})


def merge(client, incident_id, into):
    return client.post(f"/api/v1/incidents/{incident_id}/merge", json={"into": into})


def references(sql):
    return dict(sql("SELECT alert_id::text, incident_id::text FROM alert_reference_outbox"))


def test_an_alert_moves_to_another_incident_and_both_timelines_say_so(client, sql):
    first, second = attach(client, "checkout", "disk full"), attach(client, "checkout", "latency")
    other = attach(client, "search")
    source, target = first["incident_id"], other["incident_id"]

    moved = move(client, source, second["alert_id"], target)
    assert moved.status_code == 200, moved.json
    assert moved.json == {
        "alert_ids": [second["alert_id"]],
        "from_incident_id": source,
        "to_incident_id": target,
        "created": False,
        "source_resolved": False,
    }
    assert (detail(client, source)["alert_count"], detail(client, target)["alert_count"]) == (1, 2)
    assert [a["id"] for a in detail(client, source)["alerts"]] == [first["alert_id"]]
    assert second["alert_id"] in {a["id"] for a in detail(client, target)["alerts"]}
    [out] = events(client, source, "alert_moved_out")
    [came] = events(client, target, "alert_moved_in")
    assert (out["detail"]["alert_id"], out["detail"]["incident_id"], out["detail"]["message"]) == (
        second["alert_id"],
        target,
        "latency",
    )
    assert (came["detail"]["alert_id"], came["detail"]["incident_id"]) == (second["alert_id"], source)
    assert references(sql) == {second["alert_id"]: target}
    # A repeated delivery of the moved alert finds it where it is now.
    again = client.post(
        "/api/v1/incidents/alerts",
        json={"alert_id": second["alert_id"], "service": "checkout", "severity": "high", "message": "latency"},
    ).json
    assert again["incident_id"] == target


def test_split_opens_a_new_incident_with_the_alert(client, sql):
    first, second = attach(client, "checkout", "disk full"), attach(client, "checkout", "TLS certificate expires")
    source = first["incident_id"]
    split = move(client, source, second["alert_id"], "new").json
    assert split["created"] is True
    new = detail(client, split["to_incident_id"])
    assert (new["title"], new["service"], new["severity"], new["alert_count"]) == (
        "checkout: TLS certificate expires",
        "checkout",
        "high",
        1,
    )
    assert [(a["id"], a["correlation"]) for a in new["alerts"]] == [(second["alert_id"], "new_incident")]
    assert [e["event_type"] for e in new["timeline"]][:2] == ["created", "alert_moved_in"]
    assert detail(client, source)["alert_count"] == 1
    assert sql("SELECT count(*) FROM paging_jobs WHERE incident_id = %s", (split["to_incident_id"],)) == [(1,)]


def test_moving_the_last_alert_out_resolves_the_source_as_merged(client):
    only, other = attach(client, "checkout"), attach(client, "search")
    moved = move(client, only["incident_id"], only["alert_id"], other["incident_id"]).json
    assert moved["source_resolved"] is True
    source = detail(client, only["incident_id"])
    assert (source["status"], source["alert_count"], source["mttr_seconds"] is not None) == ("resolved", 0, True)
    [resolved] = events(client, only["incident_id"], "resolved")
    assert resolved["detail"]["reason"] == "merged"
    assert resolved["detail"]["merged_into"] == other["incident_id"]


def test_the_source_resolution_follows_the_alert(client):
    """Alert B was resolved by its source; moving the last firing alert A away resolves what is left, and A's
    own resolution later resolves the incident it went to."""
    a, b = attach(client, "checkout", "a"), attach(client, "checkout", "b")
    other = attach(client, "search")
    resolved_at = "2026-12-03T12:00:00+00:00"
    report = {"alert_id": b["alert_id"], "resolved_at": resolved_at, "source": "alertmanager"}
    assert client.post("/api/v1/incidents/alerts/resolved", json=report).status_code == 200
    assert detail(client, a["incident_id"])["status"] == "open"

    assert move(client, a["incident_id"], a["alert_id"], other["incident_id"]).json["source_resolved"] is True
    assert events(client, a["incident_id"], "resolved")[0]["detail"]["reason"] == "all alerts resolved by their source"
    # Resolving the moved alert and the target's own one resolves the target.
    for alert_id in (a["alert_id"], other["alert_id"]):
        report = {"alert_id": alert_id, "resolved_at": resolved_at, "source": "alertmanager"}
        answer = client.post("/api/v1/incidents/alerts/resolved", json=report).json
        assert answer["incident_id"] == other["incident_id"]
    assert detail(client, other["incident_id"])["status"] == "resolved"


def test_moving_into_a_resolved_incident_is_409_and_changes_nothing(client, sql):
    alert, closed = attach(client, "checkout"), attach(client, "search")
    assert client.patch(f"/api/v1/incidents/{closed['incident_id']}", json={"status": "resolved"}).status_code == 200
    refused = move(client, alert["incident_id"], alert["alert_id"], closed["incident_id"])
    assert refused.status_code == 409
    assert "resolved" in refused.json["message"]
    assert detail(client, alert["incident_id"])["alert_count"] == 1
    assert references(sql) == {}


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("unknown incident", 404),
        ("alert of another incident", 404),
        ("unknown target", 422),
        ("target is not an id", 422),
        ("target is itself", 409),
        ("no target", 422),
        ("malformed alert id", 400),
    ],
)
def test_bad_moves_get_clear_answers(client, case, status):
    alert, other = attach(client, "checkout"), attach(client, "search")
    source, alert_id = alert["incident_id"], alert["alert_id"]
    response = {
        "unknown incident": lambda: move(client, UNKNOWN, alert_id, other["incident_id"]),
        "alert of another incident": lambda: move(client, other["incident_id"], alert_id, source),
        "unknown target": lambda: move(client, source, alert_id, UNKNOWN),
        "target is not an id": lambda: move(client, source, alert_id, "elsewhere"),
        "target is itself": lambda: move(client, source, alert_id, source),
        "no target": lambda: client.post(f"/api/v1/incidents/{source}/alerts/{alert_id}/move", json={}),
        "malformed alert id": lambda: move(client, source, "not-a-uuid", "new"),
    }[case]()
    assert response.status_code == status, response.json
    assert response.json["message"]
    assert detail(client, source)["alert_count"] == 1


def test_merge_moves_every_alert_and_resolves_the_source_with_a_link(client, sql):
    alerts = [attach(client, "checkout", f"alert {n}") for n in range(3)]
    target = attach(client, "search")
    source = alerts[0]["incident_id"]
    merged = merge(client, source, target["incident_id"])
    assert merged.status_code == 200, merged.json
    assert sorted(merged.json["alert_ids"]) == sorted(a["alert_id"] for a in alerts)
    assert merged.json["source_resolved"] is True
    gone, kept = detail(client, source), detail(client, target["incident_id"])
    assert (gone["status"], gone["alert_count"], gone["alerts"]) == ("resolved", 0, [])
    assert kept["alert_count"] == 4 == len(kept["alerts"])
    [into] = events(client, source, "merged_into")
    [came] = events(client, target["incident_id"], "merged_from")
    assert (into["detail"], came["detail"]) == (
        {"alerts": 3, "incident_id": target["incident_id"]},
        {"alerts": 3, "incident_id": source},
    )
    assert set(references(sql).values()) == {target["incident_id"]}


def test_bad_merges_get_clear_answers(client):
    one, two = attach(client, "checkout"), attach(client, "search")
    assert merge(client, one["incident_id"], one["incident_id"]).status_code == 409
    assert merge(client, one["incident_id"], UNKNOWN).status_code == 422, "the body names it: not the path's 404"
    assert merge(client, UNKNOWN, one["incident_id"]).status_code == 404
    assert client.post(f"/api/v1/incidents/{one['incident_id']}/merge", json={"into": "x"}).status_code == 422
    client.patch(f"/api/v1/incidents/{two['incident_id']}", json={"status": "resolved"})
    assert merge(client, one["incident_id"], two["incident_id"]).status_code == 409
    assert merge(client, two["incident_id"], one["incident_id"]).status_code == 409
    assert detail(client, one["incident_id"])["alert_count"] == 1


def test_moving_needs_the_responder_role(make_app, live_server):
    oncall = make_app(oncall_service.create_app, **AUTH_ON)
    im = make_app(incident_management.create_app, **AUTH_ON, ONCALL_SERVICE_URL=live_server(oncall))
    admin = oncall.test_client()
    admin.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {ADMIN_API_KEY}"
    tokens = {}
    for role in ("viewer", "responder"):
        email = f"{role}@example.com"
        body = {"name": role, "email": email, "role": role, "password": TEST_PASSWORD}
        assert admin.post("/api/v1/users", json=body).status_code == 201
        user = oncall.test_client()
        csrf = sign_in(user, email, TEST_PASSWORD).json["csrf_token"]
        tokens[role] = user.post("/api/v1/tokens", json={"name": "t"}, headers={"X-CSRF-Token": csrf}).json["token"]
    client = im.test_client()
    headers = {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}
    made = client.post(
        "/api/v1/incidents", json={"title": "t", "service": "s", "severity": "low"}, headers=headers["responder"]
    ).json
    for path, body, refused in ((f"/alerts/{UNKNOWN}/move", {"to": "new"}, 404), ("/merge", {"into": UNKNOWN}, 422)):
        url = f"/api/v1/incidents/{made['id']}{path}"
        assert client.post(url, json=body, headers=headers["viewer"]).status_code == 403
        assert client.post(url, json=body, headers=headers["responder"]).status_code == refused
        assert client.post(url, json=body).status_code == 401
    rule = {"group_by": ["labels.alertname"]}
    assert client.put("/api/v1/grouping-rules/s", json=rule, headers=headers["responder"]).status_code == 403
    assert client.get("/api/v1/grouping-rules", headers=headers["viewer"]).status_code == 200


def test_search_finds_a_moved_alert_in_its_new_incident(client):
    kept, moving = attach(client, "checkout", "disk full"), attach(client, "checkout", "certificate expires")
    other = attach(client, "search", "slow queries")
    move(client, kept["incident_id"], moving["alert_id"], other["incident_id"])
    found = client.get("/api/v1/incidents?q=certificate").json["items"]
    assert [incident["id"] for incident in found] == [other["incident_id"]]


def test_the_timeline_names_who_moved_the_alert(client):
    alert, other = attach(client, "checkout"), attach(client, "search")
    body = {"to": other["incident_id"], "actor": "Dana"}
    assert (
        client.post(f"/api/v1/incidents/{alert['incident_id']}/alerts/{alert['alert_id']}/move", json=body).status_code
        == 200
    )
    assert [e["actor"] for e in events(client, other["incident_id"], "alert_moved_in")] == ["Dana"]


def test_the_live_stream_hears_of_both_incidents(client, db_url):
    alert, other = attach(client, "checkout"), attach(client, "search")
    listener = psycopg2.connect(db_url)
    listener.autocommit = True
    try:
        listener.cursor().execute("LISTEN incident_changes")
        move(client, alert["incident_id"], alert["alert_id"], other["incident_id"])
        select.select([listener], [], [], 5)
        listener.poll()
        changed = {json.loads(notice.payload)["id"] for notice in listener.notifies}
    finally:
        listener.close()
    assert {alert["incident_id"], other["incident_id"]} <= changed


def test_simultaneous_splits_of_one_alert_make_one_incident(make_app, live_server, sql):
    app = make_app(incident_management.create_app, DB_POOL_MAX=20)
    client = app.test_client()
    alert, _other = attach(client, "checkout", "a"), attach(client, "checkout", "b")
    url = f"{live_server(app)}/api/v1/incidents/{alert['incident_id']}/alerts/{alert['alert_id']}/move"
    start = threading.Barrier(8)

    def split(_):
        start.wait()
        return requests.post(url, json={"to": "new"}, timeout=30).status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = sorted(pool.map(split, range(8)))
    assert codes == [200] + [404] * 7
    assert sql("SELECT count(*) FROM incidents WHERE service = 'checkout'") == [(2,)]
    assert sql("SELECT sum(alert_count) FROM incidents") == [(2,)]
