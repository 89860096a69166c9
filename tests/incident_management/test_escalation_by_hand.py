"""POST /api/v1/escalate on the on-call service keeps its contract; incident management moves the incident.

The on-call service hands the request to incident management, which owns where the
incident stands in its policy and asks the on-call service whom the next step reaches.
"""

import re
import threading
import uuid

import oncall_service

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


def escalate(escalation, incident_id, **body):
    return escalation.oncall.post("/api/v1/escalate", json={"incident_id": str(incident_id), **body})


def counter(escalation, sample):
    for line in escalation.oncall.get("/metrics").text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_escalate_by_hand_moves_to_the_next_step_once(escalation):
    escalation.schedule()
    incident = escalation.open()
    pages_before = counter(escalation, 'oncall_notifications_sent_total{channel="log"}')
    response = escalate(escalation, incident["id"], reason="Alice is on a plane", actor="bob")
    assert response.status_code == 200, response.json
    assert response.json == {
        "incident_id": incident["id"],
        "team": "payments",
        "level": 1,
        "assigned_to": {"name": "Sam", "email": "sam@example.com"},
    }
    [event] = escalation.events(incident["id"], "escalated")
    assert (event["actor"], event["detail"]["reason"], event["detail"]["trigger"]) == (
        "bob",
        "Alice is on a plane",
        "manual",
    )
    assert escalation.pages(incident["id"]) == ["alice@example.com", "sam@example.com"]
    assert counter(escalation, 'oncall_notifications_sent_total{channel="log"}') == pages_before + 1
    assert escalation.state(incident["id"]) == (1, 0, False, True)  # the timeout has nothing further either

    last = escalate(escalation, incident["id"])
    assert last.status_code == 409
    assert last.json["message"] == (
        "incident 'Payments failing' is at the last step of escalation policy 'payments default' "
        "(the secondary on call for payments): there is nobody further to escalate to"
    )
    assert not UUID.search(last.json["message"])


def test_refusals_name_the_reason(escalation):
    escalation.schedule()
    resolved = escalation.open()
    escalation.im.patch(f"/api/v1/incidents/{resolved['id']}", json={"status": "resolved"})
    answer = escalate(escalation, resolved["id"])
    assert (answer.status_code, "is resolved" in answer.json["message"]) == (409, True)

    no_team = escalation.open(team=None)
    answer = escalate(escalation, no_team["id"])
    assert (answer.status_code, "has no team" in answer.json["message"]) == (409, True)

    unknown_team = escalation.open(team="nobody")
    answer = escalate(escalation, unknown_team["id"])
    assert (answer.status_code, "no on-call schedule" in answer.json["message"]) == (409, True)

    assert escalate(escalation, uuid.uuid4()).status_code == 404
    invalid = escalate(escalation, "x")
    assert (invalid.status_code, list(invalid.json["errors"]["json"])) == (422, ["incident_id"])
    assert escalation.sql("SELECT count(*) FROM incident_escalations") == [(0,)]  # a refusal leaves no record


def test_an_incident_without_a_team_escalates_along_the_team_given(escalation):
    escalation.schedule()
    incident = escalation.open(team=None)
    answer = escalate(escalation, incident["id"], team="payments")
    assert answer.status_code == 200, answer.json
    assert (answer.json["team"], answer.json["assigned_to"]["name"]) == ("payments", "Sam")


def test_an_acknowledged_incident_can_still_be_escalated_by_hand(escalation):
    escalation.schedule()
    incident = escalation.open()
    escalation.im.patch(f"/api/v1/incidents/{incident['id']}", json={"status": "acknowledged"})
    assert escalate(escalation, incident["id"]).status_code == 200


def test_simultaneous_requests_escalate_once(escalation):
    escalation.schedule()
    incident = escalation.open()
    barrier = threading.Barrier(6)
    statuses = []

    def escalate_it():
        barrier.wait()
        statuses.append(escalate(escalation, incident["id"]).status_code)

    threads = [threading.Thread(target=escalate_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [200] + [409] * 5
    assert len(escalation.events(incident["id"], "escalated")) == 1


def test_incident_management_down_is_503(make_app):
    app = make_app(oncall_service.create_app, INCIDENT_MANAGEMENT_URL="http://127.0.0.1:9")
    answer = app.test_client().post("/api/v1/escalate", json={"incident_id": str(uuid.uuid4())})
    assert answer.status_code == 503
    assert "incident management unreachable" in answer.json["message"]


def test_the_internal_endpoint_checks_its_input(escalation):
    assert escalation.im.post(f"/api/v1/incidents/{uuid.uuid4()}/escalate", json={}).status_code == 404
    assert escalation.im.post("/api/v1/incidents/not-a-uuid/escalate", json={}).status_code == 400
    invalid = escalation.im.post(f"/api/v1/incidents/{uuid.uuid4()}/escalate", json={"actor": ""})
    assert (invalid.status_code, list(invalid.json["errors"]["json"])) == (422, ["actor"])
