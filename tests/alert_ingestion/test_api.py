"""Alert ingestion's HTTP API on a real database, talking HTTP to a real incident management."""

import json
import uuid

import pytest

import alert_ingestion
import incident_management
from alert_ingestion import delivery
from tests.ports import closed_port_url

ALERT = {"service": "payments", "severity": "critical", "message": "p99 latency above 2s"}


@pytest.fixture
def incidents_url(make_app, live_server):
    return live_server(make_app(incident_management.create_app))


@pytest.fixture
def app(make_app, incidents_url):
    return make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url)


@pytest.fixture
def client(app):
    return app.test_client()


def test_first_alert_opens_an_incident_and_the_next_joins_it(client):
    first = client.post("/api/v1/alerts", json=ALERT)
    assert first.status_code == 201
    assert first.json["result"] == "new_incident"
    assert first.json["duplicate"] is False
    second = client.post("/api/v1/alerts", json={**ALERT, "message": "error rate 5%"})
    assert second.status_code == 201
    assert second.json["result"] == "existing_incident"
    assert second.json["incident_id"] == first.json["incident_id"]


def test_read_an_alert(client):
    body = {**ALERT, "labels": {"region": "eu-west-1", "pod": 3}, "timestamp": "2026-11-27T10:00:00+01:00"}
    accepted = client.post("/api/v1/alerts", json=body).json
    alert = client.get(f"/api/v1/alerts/{accepted['alert_id']}").json
    assert alert["id"] == accepted["alert_id"]
    assert alert["incident_id"] == accepted["incident_id"]
    assert alert["correlation"] == "new_incident"
    assert alert["labels"] == {"region": "eu-west-1", "pod": 3}
    assert alert["timestamp"] == "2026-11-27T09:00:00+00:00"
    assert alert["status"] == "firing"
    assert alert["source"] == "api"


def test_naive_timestamp_is_utc_and_severity_case_is_forgiven(client):
    accepted = client.post("/api/v1/alerts", json={**ALERT, "severity": "HIGH", "timestamp": "2026-11-27T10:00:00"})
    alert = client.get(f"/api/v1/alerts/{accepted.json['alert_id']}").json
    assert (alert["severity"], alert["timestamp"]) == ("high", "2026-11-27T10:00:00+00:00")


def test_unknown_and_malformed_alert_ids(client):
    unknown = client.get(f"/api/v1/alerts/{uuid.uuid4()}")
    assert unknown.status_code == 404
    assert "not found" in unknown.json["message"]
    malformed = client.get("/api/v1/alerts/12345")
    assert malformed.status_code == 400
    assert malformed.json["errors"] == {"alert_id": ["Not a valid UUID."]}


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"service", "severity", "message"}),
        ({"severity": "critical", "message": "m"}, {"service"}),
        ({**ALERT, "severity": "urgent"}, {"severity"}),
        ({**ALERT, "severity": 3}, {"severity"}),
        ({**ALERT, "service": ["a"]}, {"service"}),
        ({**ALERT, "service": ""}, {"service"}),
        ({**ALERT, "message": None}, {"message"}),
        ({**ALERT, "timestamp": "yesterday"}, {"timestamp"}),
        ({**ALERT, "timestamp": 1700000000}, {"timestamp"}),
        ({**ALERT, "labels": ["a"]}, {"labels"}),
        ({**ALERT, "labels": {"a": {"nested": 1}}}, {"labels"}),
        ({**ALERT, "dedup_key": ""}, {"dedup_key"}),
        ({**ALERT, "dedup_key": "k" * 256}, {"dedup_key"}),
        ({**ALERT, "colour": "red"}, {"colour"}),
        ({"service": 1, "severity": "x", "message": 2}, {"service", "severity", "message"}),
    ],
)
def test_bad_alerts_get_422_naming_each_field_and_store_nothing(client, sql, body, fields):
    response = client.post("/api/v1/alerts", json=body)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == fields
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


@pytest.mark.parametrize("body", ["[1, 2]", '"an alert"', "42", "null"])
def test_a_json_body_that_is_not_an_object_is_refused(client, body):
    response = client.post("/api/v1/alerts", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {"_schema": ["Invalid input type."]}


def test_malformed_json_is_400(client):
    response = client.post("/api/v1/alerts", data='{"service": "a",', content_type="application/json")
    assert response.status_code == 400
    assert response.json["errors"] == {"json": ["Invalid JSON body."]}


def test_a_body_that_is_not_json_is_415(client):
    response = client.post("/api/v1/alerts", data="service=a", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "application/json" in response.json["message"]


def test_an_oversized_body_is_413(client, sql):
    body = json.dumps({**ALERT, "message": "x" * 300_000})
    response = client.post("/api/v1/alerts", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json["code"] == 413
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


def test_a_retry_with_the_same_dedup_key_is_not_stored_twice(client, sql):
    body = {**ALERT, "dedup_key": "payments-latency-1"}
    first = client.post("/api/v1/alerts", json=body)
    retry = client.post("/api/v1/alerts", json=body)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json == {**first.json, "duplicate": True}
    assert sql("SELECT count(*) FROM alerts") == [(1,)]


def test_a_dedup_key_is_free_again_once_its_alert_is_resolved(client, sql):
    body = {**ALERT, "dedup_key": "k"}
    first = client.post("/api/v1/alerts", json=body).json
    sql("UPDATE alerts SET status = 'resolved', resolved_at = now() WHERE id = %s", (first["alert_id"],))
    again = client.post("/api/v1/alerts", json=body)
    assert again.status_code == 201
    assert again.json["alert_id"] != first["alert_id"]


def test_list_alerts_filtered_and_paginated(client):
    ids = [client.post("/api/v1/alerts", json={**ALERT, "service": f"s{i % 2}"}).json["alert_id"] for i in range(5)]
    page = client.get("/api/v1/alerts?page_size=2").json
    assert page["total"] == 5
    assert [a["id"] for a in page["items"]] == [ids[4], ids[3]]
    s1 = client.get("/api/v1/alerts?service=s1").json
    assert {a["id"] for a in s1["items"]} == {ids[1], ids[3]}
    incident_id = client.get(f"/api/v1/alerts/{ids[0]}").json["incident_id"]
    by_incident = client.get(f"/api/v1/alerts?incident_id={incident_id}").json
    assert by_incident["total"] == 3
    assert client.get("/api/v1/alerts?severity=nope").status_code == 422


def test_incident_management_down_means_202_pending_and_nothing_lost(make_app, incidents_url, sql):
    down = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=closed_port_url()).test_client()
    accepted = [down.post("/api/v1/alerts", json={**ALERT, "message": f"m{i}"}) for i in range(3)]
    assert {r.status_code for r in accepted} == {202}
    assert {r.json["result"] for r in accepted} == {"pending"}
    assert all(r.json["incident_id"] is None for r in accepted)
    assert "will be correlated" in accepted[0].json["message"]
    pending = down.get(f"/api/v1/alerts/{accepted[0].json['alert_id']}").json
    assert (pending["correlation"], pending["incident_id"]) == ("pending", None)

    # Incident management is back: the relay (run here once, by hand) attaches every alert.
    back = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url)
    sql("UPDATE alert_outbox SET next_attempt_at = now()")
    assert delivery.relay_outbox(back) == 3
    assert sql("SELECT count(*) FROM alert_outbox") == [(0,)]
    incidents = sql("SELECT incident_id, count(*) FROM incident_alerts GROUP BY incident_id")
    assert len(incidents) == 1
    assert incidents[0][1] == 3


def test_the_relay_backs_off_while_incident_management_is_down(make_app, sql):
    down = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=closed_port_url())
    down.test_client().post("/api/v1/alerts", json=ALERT)
    sql("UPDATE alert_outbox SET next_attempt_at = now()")
    assert delivery.relay_outbox(down) == 0
    attempts, error, delay = sql(
        "SELECT attempts, last_error, next_attempt_at - now() > interval '0' FROM alert_outbox"
    )[0]
    assert attempts == 1
    assert "unreachable" in error
    assert delay is True
    assert delivery.relay_outbox(down) == 0  # not due yet: nothing is tried


def test_the_relay_leaves_fresh_entries_to_the_request(app, sql):
    sql(
        "INSERT INTO alerts (id, service, severity, message, occurred_at) VALUES (%s, 'a', 'low', 'm', now())",
        (str(uuid.uuid4()),),
    )
    sql("INSERT INTO alert_outbox (alert_id, next_attempt_at) SELECT id, now() + interval '10 seconds' FROM alerts")
    assert delivery.relay_outbox(app) == 0


def test_a_slow_incident_management_means_202_pending(make_app, live_server, sql):
    import time

    from flask import Flask

    slow = Flask("slow")

    @slow.post("/api/v1/incidents/alerts")
    def hang():
        time.sleep(1.5)
        return {}, 500

    client = make_app(
        alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=live_server(slow), INCIDENT_MANAGEMENT_TIMEOUT=0.3
    ).test_client()
    response = client.post("/api/v1/alerts", json=ALERT)
    assert response.status_code == 202
    assert sql("SELECT count(*) FROM alert_outbox") == [(1,)]


def test_a_retry_of_a_pending_alert_delivers_it(make_app, incidents_url, sql):
    body = {**ALERT, "dedup_key": "pending-then-retried"}
    down = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=closed_port_url()).test_client()
    first = down.post("/api/v1/alerts", json=body)
    assert first.status_code == 202
    up = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url).test_client()
    retry = up.post("/api/v1/alerts", json=body)
    assert retry.status_code == 200
    assert retry.json["alert_id"] == first.json["alert_id"]
    assert retry.json["incident_id"] is not None
    assert retry.json["duplicate"] is True
    assert sql("SELECT count(*) FROM alert_outbox") == [(0,)]
