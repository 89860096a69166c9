"""Escalation by hand and by timeout: the on-call service against incident management over real HTTP."""

import os
import subprocess
import sys
import textwrap
import threading
import time
import uuid

import pytest
import requests

import incident_management
import oncall_service
from oncall_service import escalation
from tests.conftest import ROOT

SCHEDULE = {
    "team": "payments",
    "rotation_type": "weekly",
    "escalation_timeout_seconds": 60,
    "members": [
        {"name": "Alice", "email": "alice@example.com", "role": "primary"},
        {"name": "Sam", "email": "sam@example.com", "role": "secondary"},
    ],
}


@pytest.fixture
def im_url(make_app, live_server):
    return live_server(make_app(incident_management.create_app))


@pytest.fixture
def app(make_app, im_url):
    return make_app(oncall_service.create_app, INCIDENT_MANAGEMENT_URL=im_url)


@pytest.fixture
def client(app):
    client = app.test_client()
    assert client.post("/api/v1/schedules", json=SCHEDULE).status_code == 201
    return client


@pytest.fixture
def im(im_url):
    session = requests.Session()
    session.base_url = im_url
    return session


def open_incident(im, team="payments", **fields):
    body = {"title": "Payments failing", "service": f"svc-{uuid.uuid4().hex[:6]}", "severity": "critical"}
    body.update(fields)
    if team:
        body["team"] = team
    response = im.post(f"{im.base_url}/api/v1/incidents", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def incident_detail(im, incident_id):
    return im.get(f"{im.base_url}/api/v1/incidents/{incident_id}").json()


def escalated_events(im, incident_id):
    return [e for e in incident_detail(im, incident_id)["timeline"] if e["event_type"] == "escalated"]


def counter(client, line_start):
    """The value of a sample on the service's /metrics (0 when absent)."""
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def backdate(sql, incident_id, seconds):
    sql("UPDATE incidents SET created_at = now() - make_interval(secs => %s) WHERE id = %s", (seconds, incident_id))


def test_escalate_by_hand_moves_to_the_secondary_once(client, im):
    incident = open_incident(im)
    escalations_before = counter(client, 'escalations_total{team="payments"}')
    pages_before = counter(client, 'oncall_notifications_sent_total{channel="log"}')
    body = {"incident_id": incident["id"], "reason": "Alice is on a plane", "actor": "bob"}
    response = client.post("/api/v1/escalate", json=body)
    assert response.status_code == 200, response.json
    assert response.json == {
        "incident_id": incident["id"],
        "team": "payments",
        "level": 1,
        "assigned_to": {"name": "Sam", "email": "sam@example.com"},
    }
    after = incident_detail(im, incident["id"])
    assert (after["escalation_level"], after["assigned_to"], after["assigned_email"]) == (1, "Sam", "sam@example.com")
    [event] = escalated_events(im, incident["id"])
    assert (event["actor"], event["detail"]["reason"], event["detail"]["trigger"]) == (
        "bob",
        "Alice is on a plane",
        "manual",
    )
    logged = client.get(f"/api/v1/escalations?incident_id={incident['id']}").json
    assert logged["total"] == 1
    assert (logged["items"][0]["trigger"], logged["items"][0]["assigned_to"]["name"]) == ("manual", "Sam")
    assert counter(client, 'escalations_total{team="payments"}') == escalations_before + 1
    assert counter(client, 'oncall_notifications_sent_total{channel="log"}') == pages_before + 1

    again = client.post("/api/v1/escalate", json={"incident_id": incident["id"]})
    assert again.status_code == 409
    assert "nobody further" in again.json["message"]


def test_escalate_refusals(client, im, sql):
    resolved = open_incident(im)
    im.patch(f"{im.base_url}/api/v1/incidents/{resolved['id']}", json={"status": "resolved"})
    answer = client.post("/api/v1/escalate", json={"incident_id": resolved["id"]})
    assert (answer.status_code, "resolved" in answer.json["message"]) == (409, True)

    no_team = open_incident(im, team=None)
    answer = client.post("/api/v1/escalate", json={"incident_id": no_team["id"]})
    assert (answer.status_code, "has no team" in answer.json["message"]) == (409, True)

    unknown_team = open_incident(im, team="nobody")
    answer = client.post("/api/v1/escalate", json={"incident_id": unknown_team["id"]})
    assert (answer.status_code, "no on-call schedule" in answer.json["message"]) == (409, True)

    assert client.post("/api/v1/escalate", json={"incident_id": str(uuid.uuid4())}).status_code == 404
    invalid = client.post("/api/v1/escalate", json={"incident_id": "x"})
    assert (invalid.status_code, list(invalid.json["errors"]["json"])) == (422, ["incident_id"])
    assert sql("SELECT count(*) FROM escalations") == [(0,)]  # a refused escalation leaves no record


def test_incident_management_down_is_503_and_leaves_nothing(make_app, sql):
    app = make_app(oncall_service.create_app, INCIDENT_MANAGEMENT_URL="http://127.0.0.1:9")
    answer = app.test_client().post("/api/v1/escalate", json={"incident_id": str(uuid.uuid4())})
    assert answer.status_code == 503
    assert "incident management unreachable" in answer.json["message"]


def test_simultaneous_requests_escalate_once(client, im):
    incident = open_incident(im)
    barrier = threading.Barrier(6)
    statuses = []

    def escalate_it():
        barrier.wait()
        statuses.append(client.post("/api/v1/escalate", json={"incident_id": incident["id"]}).status_code)

    threads = [threading.Thread(target=escalate_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [200] + [409] * 5
    assert len(escalated_events(im, incident["id"])) == 1


def test_timer_escalates_an_unacknowledged_incident_after_the_timeout_once(app, client, im, sql):
    waiting = open_incident(im)
    acknowledged = open_incident(im)
    fresh = open_incident(im)
    im.patch(f"{im.base_url}/api/v1/incidents/{acknowledged['id']}", json={"status": "acknowledged"})
    for incident in (waiting, acknowledged):
        backdate(sql, incident["id"], 61)
    backdate(sql, fresh["id"], 50)

    assert escalation.escalate_overdue(app) == 1
    assert escalation.escalate_overdue(app) == 0  # at the last level now: nobody further
    [event] = escalated_events(im, waiting["id"])
    assert (event["actor"], event["detail"]["trigger"]) == ("escalation-timer", "timeout")
    assert event["detail"]["reason"] == "not acknowledged within 60s"
    assert incident_detail(im, waiting["id"])["assigned_to"] == "Sam"
    assert escalated_events(im, acknowledged["id"]) == []
    assert escalated_events(im, fresh["id"]) == []


def test_timer_uses_each_teams_timeout(app, client, im, sql):
    client.post("/api/v1/schedules", json={**SCHEDULE, "team": "search", "escalation_timeout_seconds": 10})
    slow_team = open_incident(im)
    fast_team = open_incident(im, team="search")
    backdate(sql, slow_team["id"], 30)
    backdate(sql, fast_team["id"], 30)
    assert escalation.escalate_overdue(app) == 1
    assert escalated_events(im, fast_team["id"]) and not escalated_events(im, slow_team["id"])


def test_timer_skips_a_tick_while_incident_management_is_down(make_app):
    app = make_app(oncall_service.create_app, INCIDENT_MANAGEMENT_URL="http://127.0.0.1:9")
    assert escalation.escalate_overdue(app) == 0


TIMER_PROCESS = textwrap.dedent(
    """
    import sys, time
    from oncall_service import create_app, escalation
    app = create_app({"DATABASE_URL": sys.argv[1], "INCIDENT_MANAGEMENT_URL": sys.argv[2], "BACKGROUND_JOBS": False})
    start = float(sys.argv[3])
    while time.time() < start:
        time.sleep(0.005)
    escalated = 0
    while time.time() < start + 6:
        escalated += escalation.escalate_overdue(app)
    print(escalated)
    """
)


def test_two_timer_processes_escalate_each_incident_exactly_once(client, im, im_url, db_url, sql):
    incidents = [open_incident(im) for _ in range(25)]
    sql("UPDATE incidents SET created_at = now() - interval '2 minutes'")
    start = str(time.time() + 3)  # both processes import, then start together
    timers = [
        subprocess.Popen(
            [sys.executable, "-c", TIMER_PROCESS, db_url, im_url, start],
            cwd=ROOT,
            env={**os.environ},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [timer.communicate(timeout=60) for timer in timers]
    assert [timer.returncode for timer in timers] == [0, 0], [err[-2000:] for _, err in outputs]
    counts = [int(out.strip()) for out, _ in outputs]
    print("escalations per timer process:", counts)
    assert sum(counts) == len(incidents)
    for incident in incidents:
        assert len(escalated_events(im, incident["id"])) == 1
        assert incident_detail(im, incident["id"])["escalation_level"] == 1
    assert sql("SELECT count(*), count(DISTINCT incident_id) FROM escalations WHERE trigger = 'timeout'") == [(25, 25)]
