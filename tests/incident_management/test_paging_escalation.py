"""Incident management's escalation endpoint (what the on-call service calls) on a real database."""

import uuid

import pytest

import incident_management


@pytest.fixture
def client(make_app):
    return make_app(incident_management.create_app, PAGING_CHANNEL="email").test_client()


@pytest.fixture
def incident(client):
    body = {"title": "Queue backlog", "service": "jobs", "severity": "high", "team": "payments"}
    return client.post("/api/v1/incidents", json=body).json


ESCALATION = {"level": 1, "assigned_to": "Sam", "assigned_email": "sam@example.com", "reason": "no answer"}


def escalate(client, incident_id, **changes):
    return client.post(f"/api/v1/incidents/{incident_id}/escalate", json={**ESCALATION, **changes})


def test_escalation_reassigns_records_and_queues_the_page(client, incident, sql):
    response = escalate(client, incident["id"], actor="escalation-timer", trigger="timeout")
    assert response.status_code == 200, response.json
    assert (response.json["escalation_level"], response.json["assigned_to"]) == (1, "Sam")
    assert response.json["notification"] == {"channel": "email", "recipient": "sam@example.com"}
    escalated = client.get(f"/api/v1/incidents/{incident['id']}").json["timeline"][-1]
    assert (escalated["event_type"], escalated["actor"]) == ("escalated", "escalation-timer")
    assert escalated["detail"] == {
        "level": 1,
        "assigned_to": "Sam",
        "assigned_email": "sam@example.com",
        "previous": None,
        "trigger": "timeout",
        "reason": "no answer",
    }
    jobs = sql("SELECT kind, payload->>'reason', payload->>'email', payload->>'channel' FROM paging_jobs ORDER BY id")
    assert jobs == [("page", None, None, None), ("notify", "escalated", "sam@example.com", "email")]


def test_repeating_an_escalation_changes_nothing_and_pages_nobody_again(client, incident, sql):
    escalate(client, incident["id"])
    repeat = escalate(client, incident["id"])
    assert repeat.status_code == 200
    assert repeat.json["notification"] is None
    assert sql("SELECT count(*) FROM incident_timeline WHERE event_type = 'escalated'") == [(1,)]
    assert sql("SELECT count(*) FROM paging_jobs WHERE kind = 'notify'") == [(1,)]


@pytest.mark.parametrize(
    ("setup", "changes", "words"),
    [
        ({"status": "resolved"}, {}, "is resolved"),
        ({"status": "acknowledged"}, {"trigger": "timeout"}, "acknowledged meanwhile"),
        ({}, {"level": 2}, "can only move to level 1"),
    ],
)
def test_refused_escalations_are_409_with_the_reason(client, incident, setup, changes, words):
    if setup:
        client.patch(f"/api/v1/incidents/{incident['id']}", json=setup)
    response = escalate(client, incident["id"], **changes)
    assert response.status_code == 409
    assert words in response.json["message"]


def test_an_acknowledged_incident_can_still_be_escalated_by_hand(client, incident):
    client.patch(f"/api/v1/incidents/{incident['id']}", json={"status": "acknowledged"})
    assert escalate(client, incident["id"], trigger="manual").status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": 0}, "level"),
        ({"assigned_email": "sam"}, "assigned_email"),
        ({"assigned_to": ""}, "assigned_to"),
        ({"trigger": "boredom"}, "trigger"),
    ],
)
def test_invalid_escalation_is_422(client, incident, changes, field):
    response = escalate(client, incident["id"], **changes)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_unknown_incident_is_404(client):
    assert escalate(client, uuid.uuid4()).status_code == 404
    assert escalate(client, "not-a-uuid").status_code == 400
