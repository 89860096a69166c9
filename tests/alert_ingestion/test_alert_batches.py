"""`POST /api/v1/alerts/batch`: up to 100 alerts stored in one transaction, answered 202, correlated right after."""

import time

import pytest

import alert_ingestion
from alert_ingestion import delivery
from tests.ports import closed_port_url
from tests.waiting import wait_for

BATCH = "/api/v1/alerts/batch"
ALERT = {"service": "payments", "severity": "critical", "message": "p99 latency above 2s"}


@pytest.fixture
def client(make_ingestion):
    return make_ingestion().test_client()


def test_a_batch_is_stored_answered_in_order_and_correlated(client, sql):
    alerts = [ALERT, {**ALERT, "message": "error rate 5%"}, {**ALERT, "service": "cart", "severity": "low"}]
    response = client.post(BATCH, json={"alerts": alerts})
    assert response.status_code == 202, response.json
    answers = response.json["alerts"]
    assert [(a["result"], a["incident_id"], a["duplicate"]) for a in answers] == [("pending", None, False)] * 3
    # Without background jobs (as in tests) the hand-off runs before the answer; with them, right after.
    stored = [client.get(f"/api/v1/alerts/{a['alert_id']}").json for a in answers]
    assert [s["message"] for s in stored] == [a["message"] for a in alerts]
    assert stored[0]["incident_id"] == stored[1]["incident_id"] != stored[2]["incident_id"]
    assert sorted(s["correlation"] for s in stored) == ["existing_incident", "new_incident", "new_incident"]
    assert sql("SELECT count(*) FROM alert_outbox") == [(0,)]


def test_a_bad_alert_refuses_the_batch_naming_it_and_stores_nothing(client, sql):
    response = client.post(BATCH, json={"alerts": [ALERT, {**ALERT, "severity": "urgent"}, {"service": "x"}]})
    assert response.status_code == 422
    errors = response.json["errors"]["json"]["alerts"]
    assert set(errors) == {"1", "2"}
    assert "severity" in errors["1"]
    assert set(errors["2"]) == {"severity", "message"}
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


@pytest.mark.parametrize("body", [{"alerts": []}, {"alerts": [ALERT] * 101}, {"alert": [ALERT]}, [ALERT]])
def test_an_empty_oversized_or_unwrapped_batch_is_422(client, body, sql):
    response = client.post(BATCH, json=body)
    assert response.status_code == 422
    assert response.json["errors"]
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


def test_a_dedup_key_repeated_in_a_batch_is_one_alert(client, sql):
    alerts = [{**ALERT, "dedup_key": "latency"}, {**ALERT, "dedup_key": "latency", "message": "again"}]
    first, second = client.post(BATCH, json={"alerts": alerts}).json["alerts"]
    assert first["alert_id"] == second["alert_id"]
    assert (first["duplicate"], second["duplicate"]) == (False, True)
    assert sql("SELECT count(*) FROM alerts") == [(1,)]
    later = client.post(BATCH, json={"alerts": alerts[:1]}).json["alerts"][0]  # attached by now: says so
    assert (later["alert_id"], later["result"], later["duplicate"]) == (first["alert_id"], "new_incident", True)
    assert later["incident_id"] is not None


def test_with_incident_management_down_a_batch_waits_in_the_outbox(make_app, incidents_url, sql):
    down = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=closed_port_url()).test_client()
    response = down.post(BATCH, json={"alerts": [ALERT, {**ALERT, "message": "m2"}]})
    assert response.status_code == 202
    assert sql("SELECT count(*) FROM alert_outbox") == [(2,)]
    back = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url)
    sql("UPDATE alert_outbox SET next_attempt_at = now()")
    assert delivery.relay_outbox(back) == 2
    assert sql("SELECT count(*) FROM alerts WHERE incident_id IS NULL") == [(0,)]


def test_with_background_jobs_the_batch_is_attached_right_after_the_answer(make_ingestion, sql):
    app = make_ingestion(BACKGROUND_JOBS=True)  # the hand-off's own threads, no relay: only it can attach
    answers = app.test_client().post(BATCH, json={"alerts": [ALERT] * 20}).json["alerts"]
    ids = [a["alert_id"] for a in answers]
    deadline = time.monotonic() + 10
    while sql("SELECT count(*) FROM incident_alerts") != [(20,)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(str(r[0]) for r in sql("SELECT alert_id FROM incident_alerts")) == sorted(ids)

    def noted():  # the answer reaches ingestion just after incident management's commit: acknowledge once it has
        delivery.flush_acks(app)  # the acknowledgements' batch (a background job) notes each alert's incident
        return sql("SELECT count(*), count(DISTINCT incident_id) FROM alerts WHERE incident_id IS NOT NULL")

    assert wait_for(lambda: noted() == [(20, 1)], 10, "each alert's incident noted", interval=0.05)
    assert sql("SELECT count(*) FROM alert_outbox") == [(0,)]
