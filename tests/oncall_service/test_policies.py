"""Escalation policies and service routes on the on-call service: the rules of defaults, targets, and chains."""

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
ALICE = {"name": "Alice", "email": "alice@example.com", "updates": []}
SAM = {"name": "Sam", "email": "sam@example.com", "updates": []}
BOSS = {"type": "user", "email": "boss@example.com", "name": "The Boss"}


@pytest.fixture
def client(make_app):
    return make_app(oncall_service.create_app, ADMIN_EMAIL="admin@example.com").test_client()


def policy(team="search", name="Day", **changes):
    return {"team": team, "name": name, "steps": [{"delay_seconds": 120, "targets": [BOSS]}], **changes}


def test_a_teams_first_policy_is_its_default_and_the_default_can_move(client):
    first = client.post("/api/v1/escalation-policies", json=policy())
    assert first.status_code == 201, first.json
    assert (first.json["is_default"], first.json["follows_schedule"], first.json["repeat"]) == (True, False, 0)
    second = client.post("/api/v1/escalation-policies", json=policy(name="Night", repeat=2)).json
    assert second["is_default"] is False
    assert client.get("/api/v1/oncall/chain?team=search").json["policy"]["name"] == "Day"

    moved = client.put(f"/api/v1/escalation-policies/{second['id']}", json=policy(name="Night", is_default=True))
    assert (moved.status_code, moved.json["is_default"]) == (200, True)
    assert client.get(f"/api/v1/escalation-policies/{first.json['id']}").json["is_default"] is False
    assert client.get("/api/v1/oncall/chain?team=search").json["policy"]["name"] == "Night"
    listed = client.get("/api/v1/escalation-policies?team=search").json
    assert [p["name"] for p in listed["items"]] == ["Night", "Day"]  # the default first

    refused = client.delete(f"/api/v1/escalation-policies/{second['id']}")
    assert refused.status_code == 409
    assert "'Night' is the default policy of team search" in refused.json["message"]
    demoted = client.put(f"/api/v1/escalation-policies/{second['id']}", json=policy(name="Night"))
    assert demoted.status_code == 409
    assert client.delete(f"/api/v1/escalation-policies/{first.json['id']}").status_code == 204


def test_policy_refusals(client):
    client.post("/api/v1/escalation-policies", json=policy())
    taken = client.post("/api/v1/escalation-policies", json=policy(team="SEARCH"))
    assert (taken.status_code, taken.json["message"]) == (409, "team SEARCH already has a policy named 'Day'")
    unknown = {"type": "schedule", "schedule_id": "00000000-0000-4000-8000-000000000000"}
    missing = client.post(
        "/api/v1/escalation-policies", json=policy(name="x", steps=[{"delay_seconds": 5, "targets": [unknown]}])
    )
    assert (missing.status_code, missing.json["errors"]["json"]["steps"]) == (
        422,
        {"0": {"targets": {"0": ["No such schedule."]}}},
    )
    for bad in (
        {"steps": []},
        {"steps": [{"delay_seconds": 0, "targets": [BOSS]}]},
        {"steps": [{"delay_seconds": 5, "targets": [{"type": "user"}]}]},
        {"steps": [{"delay_seconds": 5, "targets": [{"type": "pager"}]}]},
        {"repeat": 10},
        {"working_hours": {"start": "18:00", "end": "09:00"}},
        {"working_hours": {"days": ["someday"]}},
    ):
        answer = client.post("/api/v1/escalation-policies", json=policy(name="bad", **bad))
        assert answer.status_code == 422, bad
    day = client.get("/api/v1/escalation-policies?team=search").json["items"][0]
    moved = client.put(f"/api/v1/escalation-policies/{day['id']}", json=policy(team="payments"))
    assert (moved.status_code, list(moved.json["errors"]["json"])) == (422, ["team"])


def test_editing_the_seeded_policy_stops_it_following_the_schedule(client):
    schedule = client.post("/api/v1/schedules", json=SCHEDULE).json
    seeded = client.get("/api/v1/escalation-policies?team=payments").json["items"][0]
    assert (seeded["name"], seeded["follows_schedule"]) == ("payments default", True)
    steps = [
        {"delay_seconds": 30, "targets": [{"type": "schedule", "schedule_id": schedule["id"]}]},
        {"delay_seconds": 30, "targets": [{"type": "team", "team": "payments"}, BOSS]},
    ]
    edited = client.put(
        f"/api/v1/escalation-policies/{seeded['id']}",
        json={"team": "payments", "name": "payments default", "is_default": True, "repeat": 1, "steps": steps},
    )
    assert (edited.status_code, edited.json["follows_schedule"]) == (200, False)
    client.patch(f"/api/v1/schedules/{schedule['id']}", json={"escalation_timeout_seconds": 600})
    chain = client.get("/api/v1/oncall/chain?team=payments").json
    assert [(s["delay_seconds"], s["label"], s["people"]) for s in chain["steps"]] == [
        (30, "the primary on call for payments", [ALICE]),
        (
            30,
            "everyone in team payments, The Boss",
            [ALICE, SAM, {"name": "The Boss", "email": "boss@example.com", "updates": []}],
        ),
    ]
    assert chain["policy"]["repeat"] == 1


def test_services_route_to_a_team_a_policy_and_their_own_urgencies(client):
    client.post("/api/v1/schedules", json=SCHEDULE)
    night = client.post("/api/v1/escalation-policies", json=policy(team="payments", name="Night")).json
    route = client.post(
        "/api/v1/service-routes",
        json={"service": "Checkout", "team": "payments", "policy_id": night["id"], "urgency": {"medium": "high"}},
    )
    assert route.status_code == 201, route.json
    assert (route.json["policy"]["name"], route.json["urgency"]) == ("Night", {"medium": "high"})

    routed = client.get("/api/v1/oncall/chain?service=checkout").json
    assert (routed["team"], routed["policy"]["name"], routed["urgency"]) == ("payments", "Night", {"medium": "high"})
    other_team = client.get("/api/v1/oncall/chain?service=checkout&team=search&fallback_team=x")
    assert other_team.status_code == 404  # the incident's own team wins; search has no policy
    unrouted = client.get("/api/v1/oncall/chain?service=search&fallback_team=payments").json
    assert (unrouted["policy"]["name"], unrouted["urgency"]) == ("payments default", {})
    nobody = client.get("/api/v1/oncall/chain?service=search")
    assert nobody.json["message"] == (
        "nobody to page: no team was given, service search has no route, and there is no fallback team"
    )
    assert client.get("/api/v1/oncall/chain").status_code == 422

    assert client.post("/api/v1/service-routes", json={"service": "CHECKOUT", "team": "payments"}).status_code == 409
    foreign = client.post("/api/v1/service-routes", json={"service": "s", "team": "search", "policy_id": night["id"]})
    assert (foreign.status_code, list(foreign.json["errors"]["json"])) == (422, ["policy_id"])
    assert (
        client.post(
            "/api/v1/service-routes", json={"service": "s", "team": "x", "urgency": {"loud": "high"}}
        ).status_code
        == 422
    )

    client.delete(f"/api/v1/escalation-policies/{night['id']}")  # the route falls back to the default
    assert client.get("/api/v1/oncall/chain?service=checkout").json["policy"]["name"] == "payments default"
    assert client.delete(f"/api/v1/service-routes/{route.json['id']}").status_code == 204
    assert client.get(f"/api/v1/service-routes/{route.json['id']}").status_code == 404


def test_the_platform_team_has_a_policy_from_the_first_run(client, sql):
    chain = client.get("/api/v1/oncall/chain?team=platform").json
    assert (chain["policy"]["name"], chain["policy"]["repeat"]) == ("platform default", 2)
    assert chain["steps"][0]["people"] == [{"name": "Platform on-call", "email": "admin@example.com", "updates": []}]
    sql("DELETE FROM escalation_policies")
    again = client.get("/api/v1/oncall/chain?fallback_team=platform")  # made at the first look-up too
    assert again.json["steps"][0]["people"][0]["email"] == "admin@example.com"


def test_user_and_team_targets_reach_the_peoples_records(client):
    dana = client.post("/api/v1/users", json={"name": "Dana", "email": "dana@example.com"}).json
    eve = client.post("/api/v1/users", json={"name": "Eve", "email": "eve@example.com"}).json
    assert client.post("/api/v1/teams", json={"name": "db", "members": [dana["id"], eve["id"]]}).status_code == 201
    steps = [
        {"delay_seconds": 60, "targets": [{"type": "user", "user_id": dana["id"]}]},
        {"delay_seconds": 60, "targets": [{"type": "team", "team": "DB"}]},
    ]
    created = client.post("/api/v1/escalation-policies", json={"team": "db", "name": "db", "steps": steps})
    assert created.status_code == 201, created.json
    chain = client.get("/api/v1/oncall/chain?team=db").json
    assert [(s["label"], [p["name"] for p in s["people"]]) for s in chain["steps"]] == [
        ("Dana", ["Dana"]),
        ("everyone in team DB", ["Dana", "Eve"]),
    ]
    client.patch(f"/api/v1/users/{dana['id']}", json={"active": False})
    assert client.get("/api/v1/oncall/chain?team=db").json["steps"][0]["people"] == []  # passes on

    unknown = {"type": "user", "user_id": "00000000-0000-4000-8000-000000000000"}
    refused = client.post(
        "/api/v1/escalation-policies", json={**policy(name="x"), "steps": [{"delay_seconds": 5, "targets": [unknown]}]}
    )
    assert (refused.status_code, refused.json["errors"]["json"]["steps"]) == (
        422,
        {"0": {"targets": {"0": ["No such user."]}}},
    )


@pytest.mark.parametrize("method", ["put", "patch"])
def test_moving_a_schedule_to_a_team_with_a_default_policy_is_409_not_500(client, method):
    """The schedule's own policy would move along and clash with the team's default (found by the fuzzer)."""
    assert client.post("/api/v1/escalation-policies", json=policy(team="search")).status_code == 201
    schedule = client.post("/api/v1/schedules", json=SCHEDULE).json
    body = {**SCHEDULE, "team": "search"} if method == "put" else {"team": "search"}
    moved = getattr(client, method)(f"/api/v1/schedules/{schedule['id']}", json=body)
    assert moved.status_code == 409
    assert moved.json["message"].startswith("team search already has an escalation policy")
    assert client.get(f"/api/v1/schedules/{schedule['id']}").json["team"] == "payments"  # nothing changed
