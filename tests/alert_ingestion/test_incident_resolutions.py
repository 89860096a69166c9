"""An incident resolved in incident management resolves its firing alerts in ingestion, so that a repeat of one
of them (same dedup_key) opens a new incident instead of being swallowed as a duplicate of the closed one."""

import time
import uuid

import pytest
import requests

import incident_management
from alert_ingestion import delivery
from incident_management.resolution import notices
from tests.ports import closed_port_url

PATH = "/api/v1/alerts/incident-resolutions"


@pytest.fixture
def platform(make_ingestion, make_app, live_server):
    """Ingestion and incident management over HTTP, each knowing the other (jobs off: the test relays)."""
    ingestion = make_ingestion()
    incidents = make_app(incident_management.create_app, ALERT_INGESTION_URL=live_server(ingestion))
    ingestion.config["INCIDENT_MANAGEMENT_URL"] = live_server(incidents)
    delivery.init_app(ingestion)  # its client now points at this incident management
    return ingestion, incidents


def post_alert(ingestion, dedup_key, message="disk full on db-1"):
    body = {"service": "db", "severity": "high", "message": message, "dedup_key": dedup_key}
    answer = ingestion.test_client().post("/api/v1/alerts", json=body)
    assert answer.status_code in (200, 201), answer.json
    return answer.json


def test_a_repeat_after_a_human_resolve_opens_a_new_incident(platform, sql):
    ingestion, incidents = platform
    first = post_alert(ingestion, "db-disk")
    assert first["result"] == "new_incident"
    assert post_alert(ingestion, "db-disk")["duplicate"] is True
    resolved = incidents.test_client().patch(f"/api/v1/incidents/{first['incident_id']}", json={"status": "resolved"})
    assert resolved.status_code == 200, resolved.json
    assert sql("SELECT count(*) FROM incident_resolution_notices")[0][0] == 1

    assert notices.relay(incidents) == 1
    alert = ingestion.test_client().get(f"/api/v1/alerts/{first['alert_id']}").json
    assert alert["status"] == "resolved"
    assert sql("SELECT count(*) FROM incident_resolution_notices")[0][0] == 0

    repeat = post_alert(ingestion, "db-disk")
    assert (repeat["result"], repeat["duplicate"]) == ("new_incident", False)
    assert repeat["incident_id"] != first["incident_id"]
    assert notices.relay(incidents) == 0, "nothing more to tell"


def test_an_unreachable_ingestion_keeps_the_notice_with_back_off(make_app, sql):
    incidents = make_app(incident_management.create_app, ALERT_INGESTION_URL=closed_port_url())
    client = incidents.test_client()
    attached = client.post(
        "/api/v1/incidents/alerts",
        json={"alert_id": str(uuid.uuid4()), "service": "db", "severity": "high", "message": "disk full"},
    ).json
    client.patch(f"/api/v1/incidents/{attached['incident_id']}", json={"status": "resolved"})

    assert notices.relay(incidents) == 0
    [(attempts, error, delay)] = sql(
        "SELECT attempts, last_error, extract(epoch FROM next_attempt_at - now()) FROM incident_resolution_notices"
    )
    assert attempts == 1 and "alert ingestion unreachable" in error and 0 < delay <= 1.5
    assert notices.relay(incidents) == 0, "not due yet"


def test_an_incident_its_source_resolved_needs_no_call(make_app, sql):
    incidents = make_app(incident_management.create_app, ALERT_INGESTION_URL=closed_port_url())
    client = incidents.test_client()
    alert_id = str(uuid.uuid4())
    client.post(
        "/api/v1/incidents/alerts",
        json={"alert_id": alert_id, "service": "db", "severity": "high", "message": "disk full"},
    )
    answer = client.post(
        "/api/v1/incidents/alerts/resolved",
        json={"alert_id": alert_id, "resolved_at": "2026-12-03T10:00:00+00:00", "source": "alertmanager"},
    )
    assert answer.json["incident_resolved"] is True
    assert notices.relay(incidents) == 1, "dropped without calling the unreachable ingestion"
    assert sql("SELECT count(*) FROM incident_resolution_notices")[0][0] == 0


def test_the_endpoint_is_idempotent_and_refuses_bad_bodies(make_ingestion):
    client = make_ingestion().test_client()
    alert = client.post("/api/v1/alerts", json={"service": "db", "severity": "low", "message": "m"}).json
    body = {"incident_id": alert["incident_id"], "resolved_at": "2026-12-03T10:00:00+00:00"}
    assert client.post(PATH, json={**body, "alert_ids": [alert["alert_id"]]}).json == {"resolved": 1}
    assert client.post(PATH, json={**body, "alert_ids": [alert["alert_id"]]}).json == {"resolved": 0}

    for bad, field in (
        ({**body, "alert_ids": ["not-a-uuid"]}, "alert_ids"),
        ({**body, "alert_ids": [str(uuid.uuid4())] * 1001}, "alert_ids"),
        ({"alert_ids": []}, "incident_id"),
        ({**body, "resolved_at": "yesterday", "alert_ids": []}, "resolved_at"),
    ):
        answer = client.post(PATH, json=bad)
        assert answer.status_code == 422 and field in answer.json["errors"]["json"], (bad, answer.json)


@pytest.mark.stack
def test_on_the_native_stack_a_repeat_after_resolve_pages_again(stack):
    ingestion, incidents = stack.url("alert_ingestion"), stack.url("incident_management")
    dedup_key = f"repeat-{uuid.uuid4().hex[:8]}"
    body = {"service": f"repeat-{dedup_key}", "severity": "critical", "message": "checkout 5xx", "dedup_key": dedup_key}
    first = requests.post(f"{ingestion}/api/v1/alerts", json=body, timeout=10).json()
    patched = requests.patch(
        f"{incidents}/api/v1/incidents/{first['incident_id']}", json={"status": "resolved"}, timeout=10
    )
    assert patched.status_code == 200, patched.text

    deadline = time.monotonic() + 15
    while requests.get(f"{ingestion}/api/v1/alerts/{first['alert_id']}", timeout=5).json()["status"] != "resolved":
        assert time.monotonic() < deadline, "ingestion never heard of the resolve"
        time.sleep(0.2)
    repeat = requests.post(f"{ingestion}/api/v1/alerts", json=body, timeout=10).json()
    assert (repeat["result"], repeat["duplicate"]) == ("new_incident", False)
    assert repeat["incident_id"] != first["incident_id"]
