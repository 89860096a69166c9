"""Resolutions by the source survive incident management being down, and are recorded exactly once."""

import threading
import uuid

import requests

import alert_ingestion
from alert_ingestion import delivery
from incident_management.resolution import alerts as resolutions
from tests.monitoring.conftest import RECEIVER

RESOLVED_PATH = "/api/v1/incidents/alerts/resolved"


def alert_pair(index):
    """A firing and a resolved Alertmanager payload of one alert of the `batch` service."""
    labels = {"alertname": "QueueBacklog", "service": "batch", "severity": "high", "queue": f"q{index}"}
    firing = {"status": "firing", "labels": labels, "startsAt": "2026-11-27T09:00:00Z"}
    resolved = {**firing, "status": "resolved", "endsAt": "2026-11-27T09:01:00Z"}
    return {"version": "4", "alerts": [firing]}, {"version": "4", "alerts": [resolved]}


def events_of(sql, incident_id, event_type):
    return sql(
        "SELECT actor FROM incident_timeline WHERE incident_id = %s AND event_type = %s", (incident_id, event_type)
    )


def test_a_resolution_made_while_incident_management_is_down_is_caught_up(
    ingestion, ingestion_without_incidents, incidents_app, sql
):
    firing, resolved = alert_pair(1)
    incident_id = ingestion.post(RECEIVER, json=firing).json["alerts"][0]["incident_id"]

    outcome = ingestion_without_incidents.post(RECEIVER, json=resolved)
    assert outcome.status_code == 200
    assert (outcome.json["alerts"][0]["result"], outcome.json["alerts"][0]["incident_status"]) == ("resolved", None)
    assert sql("SELECT status FROM alerts") == [("resolved",)]
    assert sql("SELECT status FROM incidents") == [("open",)]
    assert sql("SELECT count(*) FROM alert_resolutions") == [(1,)]

    assert resolutions.reconcile(incidents_app) == 1
    assert sql("SELECT status, resolved_by FROM incidents") == [("resolved", "alertmanager")]
    assert sql("SELECT count(*) FROM alert_resolutions") == [(0,)]
    assert events_of(sql, incident_id, "resolved") == [("alertmanager",)]
    assert resolutions.reconcile(incidents_app) == 0


def test_an_alert_resolved_before_it_reached_incident_management(
    ingestion_without_incidents, incidents_app, incidents_url, make_app, sql
):
    firing, resolved = alert_pair(2)
    assert ingestion_without_incidents.post(RECEIVER, json=firing).json["alerts"][0]["result"] == "pending"
    ingestion_without_incidents.post(RECEIVER, json=resolved)
    assert resolutions.reconcile(incidents_app) == 0  # not attached yet: it waits in the queue
    assert sql("SELECT count(*) FROM alert_resolutions") == [(1,)]

    back = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url)
    assert delivery.relay_outbox(back) == 1
    assert sql("SELECT status FROM incidents") == [("open",)]
    assert resolutions.reconcile(incidents_app) == 1
    assert sql("SELECT status, resolved_by FROM incidents") == [("resolved", "alertmanager")]


def test_the_endpoint_is_idempotent(ingestion_without_incidents, ingestion, incidents, sql):
    firing, resolved = alert_pair(3)
    opened = ingestion.post(RECEIVER, json=firing).json["alerts"][0]
    ingestion_without_incidents.post(RECEIVER, json=resolved)

    first = incidents.post(RESOLVED_PATH, json={"alert_id": opened["alert_id"]})
    assert first.status_code == 200
    assert first.json == {
        "alert_id": opened["alert_id"],
        "incident_id": opened["incident_id"],
        "recorded": True,
        "incident_status": "resolved",
        "incident_resolved": True,
    }
    again = incidents.post(RESOLVED_PATH, json={"alert_id": opened["alert_id"]})
    assert again.status_code == 200
    assert again.json == {**first.json, "recorded": False, "incident_resolved": False}
    assert len(events_of(sql, opened["incident_id"], "alert_resolved")) == 1


def test_the_endpoint_refuses_what_is_not_a_resolved_alert(ingestion, incidents):
    firing, _resolved = alert_pair(4)
    opened = ingestion.post(RECEIVER, json=firing).json["alerts"][0]
    still_firing = incidents.post(RESOLVED_PATH, json={"alert_id": opened["alert_id"]})
    assert still_firing.status_code == 409
    assert "still firing" in still_firing.json["message"]
    unknown = incidents.post(RESOLVED_PATH, json={"alert_id": str(uuid.uuid4())})
    assert unknown.status_code == 404
    malformed = incidents.post(RESOLVED_PATH, json={"alert_id": "42"})
    assert malformed.status_code == 422
    assert malformed.json["errors"]["json"] == {"alert_id": ["Not a valid UUID."]}


def test_requests_and_jobs_racing_record_each_resolution_once(
    ingestion, ingestion_without_incidents, incidents_app, incidents_url, sql
):
    pairs = [alert_pair(10 + i) for i in range(8)]
    opened = [ingestion.post(RECEIVER, json=firing).json["alerts"][0] for firing, _ in pairs]
    assert len({alert["incident_id"] for alert in opened}) == 1
    for _, resolved in pairs:
        ingestion_without_incidents.post(RECEIVER, json=resolved)
    assert sql("SELECT count(*) FROM alert_resolutions") == [(8,)]

    recorded_by_jobs, answers = [], []

    def job():
        recorded_by_jobs.append(resolutions.reconcile(incidents_app, batch_size=5))

    def caller(alert_id):
        answer = requests.post(incidents_url + RESOLVED_PATH, json={"alert_id": alert_id}, timeout=10)
        answers.append((answer.status_code, answer.json().get("recorded")))

    threads = [threading.Thread(target=job) for _ in range(2)]
    threads += [threading.Thread(target=caller, args=(alert["alert_id"],)) for alert in opened]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert {status for status, _recorded in answers} == {200}
    recorded_by_callers = sum(1 for _status, recorded in answers if recorded)
    assert sum(recorded_by_jobs) + recorded_by_callers == 8  # each resolution recorded by exactly one of them
    assert resolutions.reconcile(incidents_app) == 0
    incident_id = opened[0]["incident_id"]
    assert len(events_of(sql, incident_id, "alert_resolved")) == 8
    assert events_of(sql, incident_id, "resolved") == [("alertmanager",)]
    assert sql("SELECT count(*) FROM alert_resolutions") == [(0,)]
    # The resolved event comes after every alert_resolved event.
    order = sql("SELECT event_type FROM incident_timeline WHERE incident_id = %s ORDER BY id", (incident_id,))
    assert order[-1] == ("resolved",)


def test_the_job_runs_in_the_background_of_incident_management(
    ingestion, ingestion_without_incidents, make_app, live_server, sql
):
    import time

    import incident_management

    firing, resolved = alert_pair(30)
    ingestion.post(RECEIVER, json=firing)
    ingestion_without_incidents.post(RECEIVER, json=resolved)
    app = make_app(incident_management.create_app, BACKGROUND_JOBS=True, SOURCE_RESOLUTION_INTERVAL=0.2)
    from servicekit import background

    stop = background.start(app)
    try:
        deadline = time.monotonic() + 10
        while sql("SELECT status FROM incidents") != [("resolved",)] and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop()
    assert sql("SELECT status, resolved_by FROM incidents") == [("resolved", "alertmanager")]


def test_the_assignee_hears_when_the_source_resolves_their_incident(ingestion, incidents_app, sql):
    firing, resolved = alert_pair(7)
    incident_id = ingestion.post(RECEIVER, json=firing).json["alerts"][0]["incident_id"]
    sql(
        "UPDATE incidents SET assigned_to = 'Alice', assigned_email = 'alice@example.com' WHERE id = %s", (incident_id,)
    )
    sql("DELETE FROM paging_jobs")  # the page of the new incident is not what this test is about

    ingestion.post(RECEIVER, json=resolved)
    assert sql("SELECT status FROM incidents") == [("resolved",)]
    notices = sql("SELECT kind, payload->>'email', payload->>'message' FROM paging_jobs")
    assert len(notices) == 1
    kind, recipient, message = notices[0]
    assert (kind, recipient) == ("notify", "alice@example.com")
    assert "was resolved by alertmanager" in message
