"""Paged people who opted in hear of acknowledge, resolve and reassign; nobody else does, nor the actor."""

import pytest

from incident_management.paging.rules import update_notifications

A = {"name": "Alice", "email": "alice@example.com", "updates": ["acknowledged", "resolved"]}
S = {"name": "Sam", "email": "sam@example.com", "updates": ["reassigned"]}
N = {"name": "Nina", "email": "nina@example.com", "updates": []}
OPEN = {"resolved_at": None, "acknowledged_at": None, "assigned_to": "Alice"}


@pytest.mark.parametrize(
    ("after", "actor", "already", "expected"),
    [
        ({**OPEN, "acknowledged_at": "t"}, "bob", [], [("acknowledged_update", "Alice", "alice@example.com")]),
        ({**OPEN, "acknowledged_at": "t"}, "alice@example.com", [], []),  # the actor is not told
        ({**OPEN, "acknowledged_at": "t"}, "bob", ["ALICE@example.com"], []),  # told already (the assignee)
        (
            {**OPEN, "acknowledged_at": "t", "resolved_at": "t"},
            "bob",
            [],
            [("resolved_update", "Alice", "alice@example.com")],
        ),
        ({**OPEN, "assigned_to": "Bob"}, "carol", [], [("reassigned_update", "Sam", "sam@example.com")]),
        (OPEN, "bob", [], []),  # nothing happened that anyone opted in to
    ],
)
def test_update_notifications(after, actor, already, expected):
    assert update_notifications(OPEN, after, actor, [A, S, N, A], already) == expected


def user_id(escalation, email):
    [user] = escalation.oncall.get("/api/v1/users", query_string={"email": email}).json["items"]
    return user["id"]


def test_a_paged_person_who_opted_in_hears_of_the_resolution(escalation):
    escalation.schedule()
    for email in ("alice@example.com", "sam@example.com"):
        path = f"/api/v1/users/{user_id(escalation, email)}/paging-preferences"
        assert escalation.oncall.put(path, json={"updates": ["resolved"]}).json == {"updates": ["resolved"]}
    incident = escalation.open()
    escalation.make_due(incident["id"])
    assert escalation.run_due() == 1
    assert escalation.pages(incident["id"]) == ["alice@example.com", "sam@example.com"]  # Alice, then Sam
    answer = escalation.im.patch(
        f"/api/v1/incidents/{incident['id']}", json={"status": "resolved", "actor": "sam@example.com"}
    )
    assert answer.status_code == 200
    # Sam resolved it himself: only Alice, paged first and opted in, hears of it.
    assert escalation.pages(incident["id"]) == ["alice@example.com", "sam@example.com", "alice@example.com"]
    notified = [e["detail"]["reason"] for e in escalation.events(incident["id"], "notified")]
    assert notified == ["assigned", "escalated", "resolved_update"]


def test_paging_preferences_api(escalation):
    escalation.schedule()
    sam = user_id(escalation, "sam@example.com")
    path = f"/api/v1/users/{sam}/paging-preferences"
    assert escalation.oncall.get(path).json == {"updates": []}
    assert escalation.oncall.put(path, json={"updates": ["resolved", "acknowledged"]}).json == {
        "updates": ["acknowledged", "resolved"]
    }
    chain = escalation.oncall.get("/api/v1/oncall/chain?team=payments").json
    assert chain["steps"][1]["people"][0]["updates"] == ["acknowledged", "resolved"]
    assert escalation.oncall.put(path, json={"updates": ["lunch"]}).status_code == 422
    unknown = "/api/v1/users/00000000-0000-4000-8000-000000000000/paging-preferences"
    assert escalation.oncall.get(unknown).status_code == 404
