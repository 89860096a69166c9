"""Schedules refer to users: the seed's inline {name, email, role} members are matched by e-mail or created."""

import datetime as dt

import pytest

import oncall_service

SEED = {
    "team": "platform-engineering",
    "rotation_type": "weekly",
    "members": [
        {"name": "Alice", "email": "alice@example.com", "role": "primary"},
        {"name": "Dan", "email": "dan@example.com", "role": "primary"},
        {"name": "Bob", "email": "bob@example.com", "role": "secondary"},
    ],
}


@pytest.fixture
def client(make_app):
    return make_app(oncall_service.create_app).test_client()


def test_the_seed_schedule_creates_its_people_as_responders(client):
    created = client.post("/api/v1/schedules", json=SEED)
    assert created.status_code == 201, created.json
    users = {u["email"]: u for u in client.get("/api/v1/users").json["items"]}
    assert sorted(users) == ["alice@example.com", "bob@example.com", "dan@example.com"]
    assert {u["role"] for u in users.values()} == {"responder"}
    members = created.json["members"]
    assert [(m["name"], m["email"], m["role"]) for m in members] == [
        (m["name"], m["email"], m["role"]) for m in SEED["members"]
    ]
    assert [m["user_id"] for m in members] == [users[m["email"]]["id"] for m in SEED["members"]]


def test_members_match_existing_users_by_email_whatever_its_case(client):
    alice = client.post("/api/v1/users", json={"name": "Alice Liddell", "email": "Alice@Example.com"}).json
    schedule = client.post("/api/v1/schedules", json=SEED).json
    assert (schedule["members"][0]["user_id"], schedule["members"][0]["name"]) == (alice["id"], "Alice Liddell")
    assert client.get("/api/v1/users").json["total"] == 3
    # A second schedule naming the same person makes no second user; a renamed user shows everywhere.
    client.post("/api/v1/schedules", json={**SEED, "team": "web"})
    assert client.get("/api/v1/users").json["total"] == 3
    client.patch(f"/api/v1/users/{alice['id']}", json={"name": "Alice L."})
    current = client.get("/api/v1/oncall/current?team=web&at=2026-01-05T12:00:00Z").json  # ISO week 2: Alice
    assert current["primary"] == {"name": "Alice L.", "email": "Alice@Example.com"}


def test_an_override_refers_to_its_user(client):
    schedule = client.post("/api/v1/schedules", json=SEED).json
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    body = {
        "name": "Erin",
        "email": "erin@example.com",
        "role": "primary",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=3)).isoformat(),
    }
    override = client.post(f"/api/v1/schedules/{schedule['id']}/overrides", json=body)
    assert override.status_code == 201, override.json
    erin = client.get("/api/v1/users?email=erin@example.com").json["items"][0]
    assert override.json["user_id"] == erin["id"]
    assert client.get("/api/v1/oncall/current?team=platform-engineering").json["primary"]["name"] == "Erin"


def test_a_refused_schedule_creates_nobody(client, sql):
    client.post("/api/v1/schedules", json=SEED)
    again = client.post(
        "/api/v1/schedules", json={**SEED, "members": [{"name": "Zed", "email": "zed@example.com", "role": "primary"}]}
    )
    assert again.status_code == 409
    assert sql("SELECT count(*) FROM users WHERE email = 'zed@example.com'") == [(0,)]
