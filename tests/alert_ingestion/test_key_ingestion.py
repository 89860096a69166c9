"""Alerts sent with an integration key: recorded with it, routed by it, refused with a clear 401 when it is wrong."""

import base64
import time

import pytest

from alert_ingestion.keys import repository as key_repository
from tests.alert_ingestion.conftest import KEYS, bearer

ALERT = {"service": "payments", "severity": "critical", "message": "p99 latency above 2s"}
ALERTMANAGER = {
    "version": "4",
    "status": "firing",
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "DiskFull", "severity": "warning", "team": "storage"},
            "annotations": {"summary": "Disk 95% full"},
            "startsAt": "2026-11-27T09:02:45Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "fingerprint": "a1b2c3d4e5f60718",
        }
    ],
}


@pytest.fixture
def app(make_ingestion):
    return make_ingestion()


@pytest.fixture
def client(app):
    return app.test_client()


def test_an_alert_sent_with_a_key_records_it_and_takes_its_service_and_team(client, make_key, incidents_app):
    key = make_key(client, service="checkout", team="payments-team")
    labels = {"team": "someone-else", "region": "eu"}
    response = client.post("/api/v1/alerts", json={**ALERT, "labels": labels}, headers=bearer(key["key"]))
    assert response.status_code == 201
    alert = client.get(f"/api/v1/alerts/{response.json['alert_id']}").json
    assert alert["integration_key_id"] == key["id"]
    assert (alert["service"], alert["labels"]) == ("checkout", {"team": "payments-team", "region": "eu"})
    incident = incidents_app.test_client().get(f"/api/v1/incidents/{response.json['incident_id']}").json
    assert (incident["service"], incident["team"]) == ("checkout", "payments-team")
    assert client.get(f"{KEYS}/{key['id']}").json["last_alert_at"] == alert["received_at"]
    assert client.get(f"/api/v1/alerts?integration_key_id={key['id']}").json["total"] == 1


def test_a_key_naming_a_service_makes_the_alerts_service_optional(client, make_key):
    key = make_key(client, service="checkout")
    body = {"severity": "high", "message": "queue stuck"}
    assert client.post("/api/v1/alerts", json=body, headers=bearer(key["key"])).status_code == 201
    assert client.post("/api/v1/alerts", json=body).status_code == 422


def test_a_key_without_service_or_team_leaves_the_alert_as_sent(client, make_key):
    key = make_key(client)
    response = client.post("/api/v1/alerts", json={**ALERT, "labels": {"team": "t"}}, headers=bearer(key["key"]))
    alert = client.get(f"/api/v1/alerts/{response.json['alert_id']}").json
    assert (alert["service"], alert["labels"], alert["integration_key_id"]) == ("payments", {"team": "t"}, key["id"])


def test_without_a_key_alerts_are_taken_by_default(client):
    response = client.post("/api/v1/alerts", json=ALERT)
    assert response.status_code == 201
    assert client.get(f"/api/v1/alerts/{response.json['alert_id']}").json["integration_key_id"] is None


@pytest.mark.parametrize(
    ("authorization", "says"),
    [
        ("Bearer ipk_" + "A" * 43, "unknown integration key"),
        ("Bearer not-a-key", "not an integration key"),
        ("Bearer ipt_" + "A" * 43, "not an integration key"),
        ("Token ipk_abc", "unsupported Authorization header"),
        ("Bearer", "unsupported Authorization header"),
    ],
)
def test_a_wrong_key_is_401_saying_why_and_stores_nothing(client, sql, authorization, says):
    for path, body in (("/api/v1/alerts", ALERT), ("/api/v1/alerts/alertmanager", ALERTMANAGER)):
        response = client.post(path, json=body, headers={"Authorization": authorization})
        assert response.status_code == 401
        assert response.json["code"] == 401
        assert says in response.json["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


def test_a_wrong_key_is_401_even_with_a_bad_body(client):
    response = client.post("/api/v1/alerts", json={"severity": "nope"}, headers=bearer("ipk_" + "B" * 43))
    assert response.status_code == 401


def test_a_revoked_key_is_refused_at_once_by_the_worker_that_revoked_it(client, make_key, sql):
    key = make_key(client)
    assert client.post("/api/v1/alerts", json=ALERT, headers=bearer(key["key"])).status_code == 201
    client.post(f"{KEYS}/{key['id']}/revoke")
    refused = client.post("/api/v1/alerts", json=ALERT, headers=bearer(key["key"]))
    assert refused.status_code == 401
    assert refused.json["message"] == f"integration key 'prometheus-prod' ({key['prefix']}...) has been revoked"
    assert sql("SELECT count(*) FROM alerts") == [(1,)]


def test_other_workers_refuse_a_revoked_key_within_the_cache_time(make_ingestion, make_key):
    worker = make_ingestion(INGEST_KEY_CACHE_SECONDS=0.5).test_client()
    admin = make_ingestion().test_client()
    key = make_key(admin)
    assert worker.post("/api/v1/alerts", json=ALERT, headers=bearer(key["key"])).status_code == 201
    admin.post(f"{KEYS}/{key['id']}/revoke")
    assert worker.post("/api/v1/alerts", json=ALERT, headers=bearer(key["key"])).status_code == 201  # cached
    time.sleep(0.6)
    assert worker.post("/api/v1/alerts", json=ALERT, headers=bearer(key["key"])).status_code == 401


def test_a_key_is_read_from_the_database_once_per_cache_period_not_per_alert(client, make_key, monkeypatch):
    key = make_key(client)
    lookups = []
    real = key_repository.find_by_digest
    monkeypatch.setattr(key_repository, "find_by_digest", lambda cur, digest: lookups.append(1) or real(cur, digest))
    for number in range(10):
        body = {**ALERT, "message": f"m{number}"}
        assert client.post("/api/v1/alerts", json=body, headers=bearer(key["key"])).status_code == 201
    assert len(lookups) == 1


def test_when_a_key_is_required_an_alert_without_one_is_401(make_ingestion, make_key, sql):
    client = make_ingestion(INGEST_REQUIRE_KEY=True).test_client()
    for path, body in (("/api/v1/alerts", ALERT), ("/api/v1/alerts/alertmanager", ALERTMANAGER)):
        refused = client.post(path, json=body)
        assert refused.status_code == 401
        assert refused.json["message"].startswith("an integration key is required")
    assert sql("SELECT count(*) FROM alerts") == [(0,)]
    key = make_key(client)
    assert client.post("/api/v1/alerts", json=ALERT, headers=bearer(key["key"])).status_code == 201
    assert client.get("/api/v1/alerts").status_code == 200  # reading is not ingestion


def test_basic_auth_with_the_key_as_password_is_taken(client, make_key):
    key = make_key(client)
    basic = base64.b64encode(f"alertmanager:{key['key']}".encode()).decode()
    response = client.post("/api/v1/alerts", json=ALERT, headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 201
    assert client.get(f"/api/v1/alerts/{response.json['alert_id']}").json["integration_key_id"] == key["id"]


def test_a_dedup_key_belongs_to_its_integration_key(client, make_key, sql):
    first, second = make_key(client, name="a"), make_key(client, name="b")
    body = {**ALERT, "dedup_key": "disk-full"}
    answers = [
        client.post("/api/v1/alerts", json=body, headers=bearer(first["key"])),
        client.post("/api/v1/alerts", json=body, headers=bearer(second["key"])),
        client.post("/api/v1/alerts", json=body),
        client.post("/api/v1/alerts", json=body, headers=bearer(first["key"])),
    ]
    assert [answer.status_code for answer in answers] == [201, 201, 201, 200]
    assert answers[3].json["alert_id"] == answers[0].json["alert_id"]
    assert sql("SELECT count(*) FROM alerts") == [(3,)]


def test_alertmanager_with_a_key_records_it_routes_by_it_and_resolves_only_its_own(client, make_key, sql):
    key = make_key(client, service="storage-nodes")
    other = make_key(client, name="other")
    fired = client.post("/api/v1/alerts/alertmanager", json=ALERTMANAGER, headers=bearer(key["key"]))
    assert fired.status_code == 200, fired.json  # no service/job label: the key names the service
    client.post("/api/v1/alerts/alertmanager", json=ALERTMANAGER, headers=bearer(other["key"]))
    alert = client.get(f"/api/v1/alerts/{fired.json['alerts'][0]['alert_id']}").json
    assert (alert["service"], alert["integration_key_id"], alert["source"]) == (
        "storage-nodes",
        key["id"],
        "alertmanager",
    )

    resolved = {**ALERTMANAGER, "status": "resolved"}
    resolved["alerts"] = [{**ALERTMANAGER["alerts"][0], "status": "resolved", "endsAt": "2026-11-27T09:30:00Z"}]
    outcome = client.post("/api/v1/alerts/alertmanager", json=resolved, headers=bearer(key["key"])).json
    assert outcome["alerts"][0]["alert_id"] == alert["id"]
    statuses = sql("SELECT integration_key_id::text, status FROM alerts ORDER BY received_at")
    assert statuses == [(key["id"], "resolved"), (other["id"], "firing")]
