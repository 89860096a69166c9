"""Resolutions by the source survive incident management being down, and are recorded exactly once."""

import threading
import uuid

import requests

import alert_ingestion
from alert_ingestion import delivery, source_resolution
from incident_management.resolution import alerts as resolutions
from tests.monitoring.conftest import RECEIVER
from tests.ports import closed_port_url

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


def resolution_body(alert_id):
    return {"alert_id": alert_id, "resolved_at": "2026-11-27T09:01:00Z", "source": "alertmanager"}


def test_a_resolution_made_while_incident_management_is_down_is_caught_up(
    ingestion, ingestion_without_incidents, incidents_app, incidents_url, make_app, sql
):
    firing, resolved = alert_pair(1)
    incident_id = ingestion.post(RECEIVER, json=firing).json["alerts"][0]["incident_id"]

    outcome = ingestion_without_incidents.post(RECEIVER, json=resolved)
    assert outcome.status_code == 200
    alert = outcome.json["alerts"][0]
    assert (alert["result"], alert["incident_status"], alert["incident_id"]) == ("resolved", None, incident_id)
    assert sql("SELECT status FROM alerts") == [("resolved",)]
    assert sql("SELECT status FROM incidents") == [("open",)]
    # Alert ingestion holds the news in its own outbox; incident management's tables are untouched.
    assert sql("SELECT count(*) FROM alert_resolution_outbox") == [(1,)]
    assert sql("SELECT count(*) FROM alert_resolutions") == [(0,)]

    back = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url)
    assert source_resolution.relay_resolutions(back) == 1
    assert sql("SELECT status, resolved_by FROM incidents") == [("resolved", "alertmanager")]
    assert sql("SELECT count(*) FROM alert_resolution_outbox") == [(0,)]
    assert events_of(sql, incident_id, "resolved") == [("alertmanager",)]
    assert source_resolution.relay_resolutions(back) == 0
    assert resolutions.reconcile(incidents_app) == 0


def test_the_relay_backs_off_while_incident_management_is_down(ingestion, ingestion_without_incidents, make_app, sql):
    firing, resolved = alert_pair(5)
    ingestion.post(RECEIVER, json=firing)
    ingestion_without_incidents.post(RECEIVER, json=resolved)
    down = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=closed_port_url())
    assert source_resolution.relay_resolutions(down) == 0
    assert sql(
        "SELECT attempts, next_attempt_at > now(), last_error LIKE 'unreachable%' FROM alert_resolution_outbox"
    ) == [(1, True, True)]
    assert source_resolution.relay_resolutions(down) == 0  # not due again yet
    assert sql("SELECT attempts FROM alert_resolution_outbox") == [(1,)]


def test_an_alert_resolved_before_it_reached_incident_management(
    ingestion_without_incidents, incidents_app, incidents_url, make_app, sql
):
    firing, resolved = alert_pair(2)
    assert ingestion_without_incidents.post(RECEIVER, json=firing).json["alerts"][0]["result"] == "pending"
    ingestion_without_incidents.post(RECEIVER, json=resolved)

    back = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url)
    # The resolution arrives first: incident management keeps it in its inbox until the alert is attached.
    assert source_resolution.relay_resolutions(back) == 1
    assert sql("SELECT count(*) FROM alert_resolutions") == [(1,)]
    assert resolutions.reconcile(incidents_app) == 0  # not attached yet: it waits
    assert delivery.relay_outbox(back) == 1
    assert sql("SELECT status FROM incidents") == [("open",)]
    assert resolutions.reconcile(incidents_app) == 1
    assert sql("SELECT status, resolved_by FROM incidents") == [("resolved", "alertmanager")]
    assert sql("SELECT count(*) FROM alert_resolutions") == [(0,)]
    # Alert ingestion noted the incident of its alert from the answer.
    assert sql("SELECT a.incident_id = i.id, a.correlation FROM alerts a, incidents i") == [(True, "new_incident")]


def test_the_endpoint_is_idempotent(ingestion_without_incidents, ingestion, incidents, sql):
    firing, resolved = alert_pair(3)
    opened = ingestion.post(RECEIVER, json=firing).json["alerts"][0]
    ingestion_without_incidents.post(RECEIVER, json=resolved)

    first = incidents.post(RESOLVED_PATH, json=resolution_body(opened["alert_id"]))
    assert first.status_code == 200
    assert first.json == {
        "alert_id": opened["alert_id"],
        "incident_id": opened["incident_id"],
        "recorded": True,
        "incident_status": "resolved",
        "incident_resolved": True,
    }
    again = incidents.post(RESOLVED_PATH, json=resolution_body(opened["alert_id"]))
    assert again.status_code == 200
    assert again.json == {**first.json, "recorded": False, "incident_resolved": False}
    assert len(events_of(sql, opened["incident_id"], "alert_resolved")) == 1


def test_the_endpoint_needs_a_resolution_and_queues_what_it_does_not_hold(incidents, sql):
    missing = incidents.post(RESOLVED_PATH, json={"alert_id": str(uuid.uuid4())})
    assert missing.status_code == 422
    assert set(missing.json["errors"]["json"]) == {"resolved_at", "source"}
    malformed = incidents.post(RESOLVED_PATH, json={**resolution_body("42"), "resolved_at": "yesterday"})
    assert malformed.status_code == 422
    assert set(malformed.json["errors"]["json"]) == {"alert_id", "resolved_at"}
    assert sql("SELECT count(*) FROM alert_resolutions") == [(0,)]

    unknown = str(uuid.uuid4())  # not attached (yet): kept until it is
    queued = incidents.post(RESOLVED_PATH, json=resolution_body(unknown))
    assert queued.status_code == 200
    assert (queued.json["incident_id"], queued.json["recorded"]) == (None, False)
    assert sql("SELECT alert_id::text, source FROM alert_resolutions") == [(unknown, "alertmanager")]


def test_requests_and_jobs_racing_record_each_resolution_once(
    ingestion_without_incidents, incidents_app, incidents_url, make_app, sql
):
    pairs = [alert_pair(10 + i) for i in range(8)]
    for firing, resolved in pairs:
        ingestion_without_incidents.post(RECEIVER, json=firing)
        ingestion_without_incidents.post(RECEIVER, json=resolved)
    back = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url)
    assert source_resolution.relay_resolutions(back) == 8  # ahead of their alerts: all wait in the inbox
    assert delivery.relay_outbox(back) == 8
    assert sql("SELECT count(*) FROM alert_resolutions") == [(8,)]
    alert_ids = [str(alert_id) for (alert_id,) in sql("SELECT id FROM alerts")]

    recorded_by_jobs, answers = [], []

    def job():
        recorded_by_jobs.append(resolutions.reconcile(incidents_app, batch_size=5))

    def caller(alert_id):
        answer = requests.post(incidents_url + RESOLVED_PATH, json=resolution_body(alert_id), timeout=10)
        answers.append((answer.status_code, answer.json().get("recorded")))

    threads = [threading.Thread(target=job) for _ in range(2)]
    threads += [threading.Thread(target=caller, args=(alert_id,)) for alert_id in alert_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert {status for status, _recorded in answers} == {200}
    recorded_by_callers = sum(1 for _status, recorded in answers if recorded)
    assert sum(recorded_by_jobs) + recorded_by_callers == 8  # each resolution recorded by exactly one of them
    assert resolutions.reconcile(incidents_app) == 0
    ((incident_id,),) = sql("SELECT id FROM incidents")
    assert len(events_of(sql, incident_id, "alert_resolved")) == 8
    assert events_of(sql, incident_id, "resolved") == [("alertmanager",)]
    assert sql("SELECT count(*) FROM alert_resolutions") == [(0,)]
    # The resolved event comes after every alert_resolved event.
    order = sql("SELECT event_type FROM incident_timeline WHERE incident_id = %s ORDER BY id", (incident_id,))
    assert order[-1] == ("resolved",)


def test_the_relays_and_the_job_run_in_the_background(ingestion_without_incidents, make_app, live_server, sql):
    import time

    import incident_management

    firing, resolved = alert_pair(30)
    ingestion_without_incidents.post(RECEIVER, json=firing)
    ingestion_without_incidents.post(RECEIVER, json=resolved)
    incidents_app = make_app(incident_management.create_app, BACKGROUND_JOBS=True, SOURCE_RESOLUTION_INTERVAL=0.2)
    back = make_app(
        alert_ingestion.create_app,
        INCIDENT_MANAGEMENT_URL=live_server(incidents_app),
        BACKGROUND_JOBS=True,
        OUTBOX_RELAY_INTERVAL=0.2,
    )
    from servicekit import background

    stops = [background.start(incidents_app), background.start(back)]
    try:
        deadline = time.monotonic() + 15
        while sql("SELECT status FROM incidents") != [("resolved",)] and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        for stop in stops:
            stop()
    assert sql("SELECT status, resolved_by FROM incidents") == [("resolved", "alertmanager")]
    assert sql("SELECT (SELECT count(*) FROM alert_outbox), (SELECT count(*) FROM alert_resolution_outbox)") == [(0, 0)]


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
