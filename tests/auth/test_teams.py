"""Teams of users over the on-call service's HTTP API, on a real database."""

import pytest

import oncall_service

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def client(make_app):
    return make_app(oncall_service.create_app).test_client()


@pytest.fixture
def users(client):
    made = {}
    for name in ("Alice", "Bob", "Carol"):
        response = client.post("/api/v1/users", json={"name": name, "email": f"{name.lower()}@example.com"})
        made[name] = response.json
    return made


def test_create_read_change_deactivate(client, users):
    body = {
        "name": "platform-engineering",
        "description": "Runs it",
        "members": [users["Bob"]["id"], users["Alice"]["id"]],
    }
    team = client.post("/api/v1/teams", json=body)
    assert team.status_code == 201, team.json
    team = team.json
    assert [(m["name"], m["email"]) for m in team["members"]] == [
        ("Alice", "alice@example.com"),
        ("Bob", "bob@example.com"),
    ]
    assert (team["description"], team["active"]) == ("Runs it", True)
    path = f"/api/v1/teams/{team['id']}"
    assert client.get(path).json == team

    renamed = client.patch(path, json={"name": "Platform"}).json
    assert (renamed["name"], len(renamed["members"])) == ("Platform", 2)  # members stay when not given
    replaced = client.patch(path, json={"members": [users["Carol"]["id"]]}).json
    assert [m["name"] for m in replaced["members"]] == ["Carol"]
    gone = client.delete(path)
    assert (gone.status_code, gone.json["active"], gone.json["members"]) == (200, False, replaced["members"])


def test_names_are_unique_whatever_their_case(client):
    assert client.post("/api/v1/teams", json={"name": "web"}).status_code == 201
    taken = client.post("/api/v1/teams", json={"name": "WEB"})
    assert (taken.status_code, taken.json["message"]) == (409, "a team named WEB already exists")
    other = client.post("/api/v1/teams", json={"name": "api"}).json
    assert client.patch(f"/api/v1/teams/{other['id']}", json={"name": "Web"}).status_code == 409


def test_unknown_members_are_422_and_nothing_is_written(client, sql, users):
    response = client.post("/api/v1/teams", json={"name": "db", "members": [users["Alice"]["id"], UNKNOWN]})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["members"] == [f"No user {UNKNOWN}."]
    assert sql("SELECT count(*) FROM teams") == [(0,)]
    team = client.post("/api/v1/teams", json={"name": "db", "members": [users["Alice"]["id"]]}).json
    refused = client.patch(f"/api/v1/teams/{team['id']}", json={"members": [UNKNOWN]})
    assert refused.status_code == 422
    assert [m["name"] for m in client.get(f"/api/v1/teams/{team['id']}").json["members"]] == ["Alice"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "-x"}, "name"),
        ({"name": "x", "members": ["nope"]}, "members"),
        ({"name": "x" * 101}, "name"),
    ],
)
def test_bad_teams_are_422_naming_the_field(client, body, field):
    response = client.post("/api/v1/teams", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_list_filters(client, users):
    client.post("/api/v1/teams", json={"name": "web", "members": [users["Alice"]["id"]]})
    db = client.post("/api/v1/teams", json={"name": "db", "members": [users["Alice"]["id"], users["Bob"]["id"]]}).json
    client.post("/api/v1/teams", json={"name": "api"})
    client.delete(f"/api/v1/teams/{db['id']}")
    names = lambda query: [t["name"] for t in client.get(f"/api/v1/teams{query}").json["items"]]  # noqa: E731
    assert names("") == ["api", "db", "web"]
    assert names("?active=true") == ["api", "web"]
    assert names(f"?user_id={users['Bob']['id']}") == ["db"]
    assert names("?name=WEB") == ["web"]
    users_of_db = client.get(f"/api/v1/users?team_id={db['id']}").json["items"]
    assert [u["name"] for u in users_of_db] == ["Alice", "Bob"]


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_unknown_and_malformed_ids(client, method):
    body = {"json": {"name": "x"}} if method == "patch" else {}
    assert getattr(client, method)(f"/api/v1/teams/{UNKNOWN}", **body).status_code == 404
    assert getattr(client, method)("/api/v1/teams/42", **body).status_code == 400
