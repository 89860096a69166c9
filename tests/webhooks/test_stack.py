"""Outgoing webhooks end to end on the native stack: an alert through POST /api/v1/alerts opens an incident,
its lifecycle reaches a local receiver signed; retries, a dead receiver and several workers (gunicorn's two,
each with its webhook thread) as they run in production."""

import json
import time
import uuid

import psycopg2
import pytest
import requests

from incident_management.lifecycle import repository as timeline
from incident_management.webhooks import rules
from tests.access.listener import Listener
from tests.ports import free_port
from tests.waiting import wait_for

pytestmark = pytest.mark.stack

SUBSCRIPTIONS = "/api/v1/webhook-subscriptions"


@pytest.fixture
def receiver():
    started = []

    def start(answer=None):
        started.append(Listener("127.0.0.1", answer))
        return started[-1]

    yield start
    for listener in started:
        listener.close()


@pytest.fixture
def team(stack):
    """A team of its own with someone on call (escalation has a secondary to reach)."""
    name = f"hooks-{uuid.uuid4().hex[:8]}"
    body = {
        "team": name,
        "rotation_type": "weekly",
        "escalation_timeout_seconds": 3600,
        "members": [
            {"name": "Alice", "email": f"alice-{name}@example.com", "role": "primary"},
            {"name": "Sam", "email": f"sam-{name}@example.com", "role": "secondary"},
        ],
    }
    response = requests.post(f"{stack.url('oncall_service')}/api/v1/schedules", json=body, timeout=10)
    assert response.status_code == 201, response.text
    return name


def subscribe(stack, team, listener, **fields):
    body = {"team": team, "url": f"http://127.0.0.1:{listener.port}/hook", **fields}
    response = requests.post(f"{stack.url('incident_management')}{SUBSCRIPTIONS}", json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def raise_alert(stack, team, service=None):
    body = {
        "service": service or f"checkout-{team}",
        "severity": "critical",
        "message": "error rate above 5%",
        "labels": {"team": team},
    }
    response = requests.post(f"{stack.url('alert_ingestion')}/api/v1/alerts", json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["incident_id"]


def deliveries(stack, subscription):
    url = f"{stack.url('incident_management')}{SUBSCRIPTIONS}/{subscription['id']}/deliveries"
    return requests.get(url, params={"page_size": 200}, timeout=10).json()["items"]


def events(listener):
    return [request["headers"]["X-Incident-Event"] for request in listener.requests]


def test_an_incidents_lifecycle_reaches_the_receiver_signed(stack, team, receiver):
    listener = receiver()
    subscription = subscribe(stack, team, listener)
    incident_id = raise_alert(stack, team)
    incidents = f"{stack.url('incident_management')}/api/v1/incidents/{incident_id}"
    wait_for(lambda: "incident.opened" in events(listener), 20, "the opened event")
    wait_for(lambda: requests.get(incidents, timeout=10).json()["assigned_to"], 20, "the on-call assignment")
    patch = requests.patch(incidents, json={"status": "acknowledged", "actor": "alice"}, timeout=10)
    assert patch.status_code == 200, patch.text
    note = requests.post(f"{incidents}/notes", json={"author": "alice", "content": "rolling back"}, timeout=10)
    assert note.status_code == 201, note.text
    escalate = requests.post(
        f"{stack.url('oncall_service')}/api/v1/escalate",
        json={"incident_id": incident_id, "reason": "help"},
        timeout=10,
    )
    assert escalate.status_code in (200, 201), escalate.text
    assert requests.patch(incidents, json={"status": "resolved"}, timeout=10).status_code == 200

    expected = [
        "incident.opened",
        "incident.acknowledged",
        "incident.note_added",
        "incident.escalated",
        "incident.resolved",
    ]
    wait_for(lambda: len(listener.requests) >= 5, 30, "five events")
    time.sleep(1.5)  # nothing more comes (no event twice)
    assert sorted(events(listener)) == sorted(expected)
    for request in listener.requests:
        headers = request["headers"]
        assert rules.verify(
            subscription["secret"],
            headers["X-Incident-Timestamp"],
            request["body"],
            headers["X-Incident-Signature"],
            time.time(),
        )
        body = json.loads(request["body"])
        assert (body["event_type"], body["incident"]["id"], body["incident"]["team"]) == (
            headers["X-Incident-Event"],
            incident_id,
            team,
        )
    by_event = {json.loads(r["body"])["event_type"]: json.loads(r["body"]) for r in listener.requests}
    assert by_event["incident.note_added"]["note"]["content"] == "rolling back"
    assert by_event["incident.escalated"]["escalation"]["level"] == 1
    assert by_event["incident.resolved"]["incident"]["status"] == "resolved"
    assert {d["status"] for d in deliveries(stack, subscription)} == {"delivered"}


def counted(stack, status):
    """webhook_deliveries_total{event="incident.opened",status=...}, summed over the service's workers."""
    text = requests.get(f"{stack.url('incident_management')}/metrics", timeout=10).text
    wanted = f'webhook_deliveries_total{{event="incident.opened",status="{status}"}} '
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(wanted))


def test_a_receiver_failing_twice_gets_the_event_on_the_third_attempt(stack, team, receiver):
    answers = iter([500, 500])
    listener = receiver(lambda _path: (next(answers, 200), {}, b""))
    subscription = subscribe(stack, team, listener, event_types=["incident.opened"])
    before = {status: counted(stack, status) for status in ("retrying", "delivered")}
    raise_alert(stack, team)
    (entry,) = wait_for(
        lambda: [d for d in deliveries(stack, subscription) if d["status"] == "delivered"], 30, "the delivery"
    )
    assert (entry["attempts"], entry["last_status_code"], entry["last_error"]) == (3, 200, None)
    assert len(listener.requests) == 3
    assert len({r["headers"]["X-Incident-Delivery"] for r in listener.requests}) == 1
    # Other tests on the shared stack may count too: at least this test's attempts.
    assert counted(stack, "retrying") >= before["retrying"] + 2
    assert counted(stack, "delivered") >= before["delivered"] + 1


def test_a_dead_receiver_ends_as_failed(stack, team, receiver):
    listener = receiver()
    subscription = subscribe(stack, team, listener, event_types=["incident.opened"])
    listener.close()
    raise_alert(stack, team)
    (entry,) = wait_for(lambda: [d for d in deliveries(stack, subscription) if d["status"] == "failed"], 40, "failure")
    assert entry["attempts"] == 4 and "receiver unreachable" in entry["last_error"]
    assert entry["next_attempt_at"] is None


def test_several_workers_and_replicas_send_each_event_once(stack, team, receiver):
    def answer(_path):
        time.sleep(0.05)  # slow enough for the workers' turns to overlap
        return 200, {}, b""

    listener = receiver(answer)
    subscription = subscribe(stack, team, listener, event_types=["incident.opened"])
    # A second replica of incident management with three workers of its own, beside the stack's two.
    replica = stack.start_replica("incident_management", free_port(), WEB_CONCURRENCY="3")
    try:
        for number in range(20):
            raise_alert(stack, team, service=f"svc-{number}-{team}")
        wait_for(lambda: len(listener.requests) >= 20, 40, "twenty deliveries")
        time.sleep(2)
    finally:
        replica.terminate()
        replica.wait(timeout=20)
    seen = [json.loads(r["body"])["event_id"] for r in listener.requests]
    assert len(seen) == 20 and len(set(seen)) == 20
    assert [d["attempts"] for d in deliveries(stack, subscription)] == [1] * 20


def test_an_event_committed_just_before_the_service_died_is_delivered_once_it_is_back(stack, team, receiver):
    listener = receiver()
    subscription = subscribe(stack, team, listener, event_types=["incident.acknowledged"])
    incident_id = raise_alert(stack, team)
    stack.stop("incident_management")
    try:
        # The service's own statements, committed while none of its workers runs (as if it died right after).
        conn = psycopg2.connect(stack.database_url)
        with conn, conn.cursor() as cur:
            cur.execute(
                "UPDATE incidents SET status = 'acknowledged', acknowledged_at = now() WHERE id = %s", (incident_id,)
            )
            timeline.insert_event(cur, incident_id, "acknowledged", "alice")
        conn.close()
        time.sleep(1.5)
        assert listener.requests == []
    finally:
        stack.start("incident_management")
    wait_for(lambda: events(listener) == ["incident.acknowledged"], 30, "the acknowledged event")
    assert [d["status"] for d in deliveries(stack, subscription)] == ["delivered"]
