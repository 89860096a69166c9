"""Concurrent alerts handed to a real incident management in shared calls; the relay's batches."""

import threading
import uuid

from flask import Flask, request

import alert_ingestion
from alert_ingestion import delivery
from alert_ingestion.metrics import alert_handoff_batch

ALERT = {"service": "payments", "severity": "critical", "message": "p99 latency above 2s"}


def _calls(path):
    """(calls, alerts) the hand-off made on `path` so far in this process."""
    samples = {s.name: s.value for s in alert_handoff_batch.collect()[0].samples if s.labels.get("path") == path}
    return samples["alert_handoff_batch_size_count"], samples["alert_handoff_batch_size_sum"]


def test_concurrent_alerts_are_each_answered_with_the_incident_that_holds_them(make_ingestion, sql):
    app = make_ingestion(HANDOFF_MAX_CALLS=1)
    answers, lock = [], threading.Lock()

    def send(n):
        client = app.test_client()
        for i in range(5):
            response = client.post("/api/v1/alerts", json={**ALERT, "message": f"client {n} alert {i}"})
            with lock:
                answers.append((response.status_code, response.json))

    calls_before, alerts_before = _calls("request")
    # As many clients as a worker has threads (GUNICORN_THREADS): fewer than its pool's connections.
    threads = [threading.Thread(target=send, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert {status for status, _ in answers} == {201}
    assert len(answers) == 40
    assert len({body["incident_id"] for _, body in answers}) == 1  # one key: one incident
    assert [body["result"] for _, body in answers].count("new_incident") == 1
    attached = dict(sql("SELECT alert_id::text, incident_id::text FROM incident_alerts"))
    assert attached == {body["alert_id"]: body["incident_id"] for _, body in answers}
    calls, alerts = _calls("request")
    assert alerts - alerts_before == 40
    assert calls - calls_before <= 40


def test_a_batch_refused_as_a_whole_is_delivered_alert_by_alert(make_app, live_server, sql):
    fake = Flask("refuses-batches")  # an incident management that takes alerts only one at a time
    singles = []

    @fake.post("/api/v1/incidents/alerts/batch")
    def refuse():
        return {"code": 422, "message": "no batches here"}, 422

    @fake.post("/api/v1/incidents/alerts")
    def attach():
        singles.append(request.json["alert_id"])
        return {"alert_id": request.json["alert_id"], "incident_id": str(uuid.uuid4()), "result": "new_incident"}

    app = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=live_server(fake))
    down = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL="http://127.0.0.1:9").test_client()
    stored = [down.post("/api/v1/alerts", json={**ALERT, "message": f"m{i}"}).json["alert_id"] for i in range(3)]
    sql("UPDATE alert_outbox SET next_attempt_at = now()")

    calls_before, _ = _calls("relay")
    assert delivery.relay_outbox(app) == 3
    assert _calls("relay")[0] - calls_before == 1  # one batch claimed and sent
    assert sorted(singles) == sorted(stored)
    assert sql("SELECT count(*) FROM alert_outbox") == [(0,)]
    assert sql("SELECT count(*) FROM alerts WHERE incident_id IS NULL") == [(0,)]
