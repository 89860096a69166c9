"""Escalation policies' chains on the on-call service: the seed's default policy, and whom each step reaches."""

import pytest

import oncall_service

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
def client(make_app):
    return make_app(oncall_service.create_app).test_client()


def test_a_schedule_gets_the_seeds_two_step_policy(client):
    schedule = client.post("/api/v1/schedules", json=SCHEDULE).json
    chain = client.get("/api/v1/oncall/chain?team=PAYMENTS").json
    assert (chain["team"], chain["policy"]["name"], chain["policy"]["repeat"]) == ("payments", "payments default", 0)
    assert [(s["position"], s["delay_seconds"], s["label"], s["people"]) for s in chain["steps"]] == [
        (0, 60, "the primary on call for payments", [{"name": "Alice", "email": "alice@example.com", "updates": []}]),
        (1, 60, "the secondary on call for payments", [{"name": "Sam", "email": "sam@example.com", "updates": []}]),
    ]
    by_id = client.get(f"/api/v1/escalation-policies/{chain['policy']['id']}/chain").json
    assert by_id == chain

    client.patch(f"/api/v1/schedules/{schedule['id']}", json={"escalation_timeout_seconds": 120})
    assert [s["delay_seconds"] for s in client.get("/api/v1/oncall/chain?team=payments").json["steps"]] == [120, 120]

    assert client.delete(f"/api/v1/schedules/{schedule['id']}").status_code == 204
    gone = client.get("/api/v1/oncall/chain?team=payments")
    assert gone.status_code == 404
    assert gone.json["message"] == "team payments has no on-call schedule or escalation policy"


def test_a_chain_at_a_time_follows_overrides(client):
    schedule = client.post("/api/v1/schedules", json=SCHEDULE).json
    override = {
        "name": "Carol",
        "email": "carol@example.com",
        "role": "primary",
        "start": "2099-12-24T18:00:00Z",
        "end": "2099-12-25T06:00:00Z",
    }
    assert client.post(f"/api/v1/schedules/{schedule['id']}/overrides", json=override).status_code == 201
    during = client.get("/api/v1/oncall/chain?team=payments&at=2099-12-24T20:00:00Z").json
    after = client.get("/api/v1/oncall/chain?team=payments&at=2099-12-26T20:00:00Z").json
    assert during["steps"][0]["people"] == [{"name": "Carol", "email": "carol@example.com", "updates": []}]
    assert after["steps"][0]["people"] == [{"name": "Alice", "email": "alice@example.com", "updates": []}]


def test_a_step_without_anyone_has_no_people(client):
    client.post("/api/v1/schedules", json={**SCHEDULE, "members": SCHEDULE["members"][:1]})
    chain = client.get("/api/v1/oncall/chain?team=payments").json
    assert chain["steps"][1]["people"] == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/oncall/chain", 422),
        ("/api/v1/oncall/chain?team=nobody", 404),
        ("/api/v1/oncall/chain?team=payments&at=yesterday", 422),
        ("/api/v1/escalation-policies/00000000-0000-4000-8000-000000000000/chain", 404),
        ("/api/v1/escalation-policies/not-a-uuid/chain", 400),
    ],
)
def test_chain_errors(client, path, status):
    client.post("/api/v1/schedules", json=SCHEDULE)
    assert client.get(path).status_code == status
