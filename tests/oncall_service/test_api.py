"""The on-call service's HTTP API on a real database (Flask test client): schedules, overrides, who is on call."""

import datetime as dt
import uuid

import pytest

import oncall_service


@pytest.fixture
def app(make_app):
    return make_app(oncall_service.create_app)


@pytest.fixture
def client(app):
    return app.test_client()


def members(*specs):
    """members(("Alice", "primary"), ...) with example.com addresses."""
    return [{"name": name, "email": f"{name.lower()}@example.com", "role": role} for name, role in specs]


TEAM_MEMBERS = members(("Alice", "primary"), ("Bob", "primary"), ("Sam", "secondary"))


def people(schedule_members):
    """A schedule's members as given: each also names its user (user_id, tests/auth/test_schedule_people.py)."""
    return [{key: value for key, value in member.items() if key != "user_id"} for member in schedule_members]


@pytest.fixture
def make_schedule(client):
    def make(**overrides):
        body = {"team": "platform-engineering", "rotation_type": "weekly", "members": TEAM_MEMBERS, **overrides}
        response = client.post("/api/v1/schedules", json=body)
        assert response.status_code == 201, response.json
        return response.json

    return make


def test_create_schedule_with_defaults(make_schedule):
    schedule = make_schedule()
    assert schedule["team"] == "platform-engineering"
    assert people(schedule["members"]) == TEAM_MEMBERS  # order kept: it is the rotation order
    assert schedule["timezone"] == "UTC"
    assert schedule["handoff_time"] == "00:00"
    assert schedule["rotation_start"] is None
    assert schedule["escalation_timeout_seconds"] == 300
    uuid.UUID(schedule["id"])


def test_default_escalation_timeout_is_configurable(make_app):
    client = make_app(oncall_service.create_app, DEFAULT_ESCALATION_TIMEOUT_SECONDS=120).test_client()
    body = {"team": "db", "rotation_type": "daily", "members": members(("Alice", "primary"))}
    assert client.post("/api/v1/schedules", json=body).json["escalation_timeout_seconds"] == 120


def _body(**changes):
    body = {"team": "t", "rotation_type": "weekly", "members": members(("Alice", "primary"))}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (_body(team=None), "team", "Missing"),
        (_body(team=""), "team", "Length"),
        (_body(team="  "), "team", "Length"),
        (_body(team="-leading-dash"), "team", "letter or digit"),
        (_body(team="x" * 101), "team", "Length"),
        (_body(rotation_type="monthly"), "rotation_type", "Must be one of"),
        (_body(rotation_type=None), "rotation_type", "Missing"),
        (_body(members=[]), "members", "Length"),
        (_body(members=members(("Sam", "secondary"))), "members", "primary"),
        (_body(members=[{"name": "A", "email": "not-an-email", "role": "primary"}]), "members", "email"),
        (_body(members=members(("Alice", "primary"), ("Alice", "primary"))), "members", "twice"),
        (
            _body(
                members=[*members(("Alice", "primary")), {"name": "X", "email": "ALICE@example.com", "role": "primary"}]
            ),
            "members",
            "twice",
        ),
        (_body(members=members(("Alice", "boss"))), "members", "role"),
        (_body(members=[{"name": "Alice", "role": "primary"}]), "members", "email"),
        (_body(timezone="Mars/Olympus"), "timezone", "Unknown time zone"),
        (_body(timezone="../../etc/passwd"), "timezone", "Unknown time zone"),
        (_body(handoff_time="24:00"), "handoff_time", "HH:MM"),
        (_body(handoff_time="9:00"), "handoff_time", "HH:MM"),
        (_body(rotation_start="2024-13-01"), "rotation_start", "date"),
        (_body(escalation_timeout_seconds=0), "escalation_timeout_seconds", "greater than or equal"),
        (_body(escalation_timeout_seconds="soon"), "escalation_timeout_seconds", "integer"),
    ],
)
def test_invalid_schedule_is_422_naming_the_field(client, body, field, words):
    response = client.post("/api/v1/schedules", json=body)
    assert response.status_code == 422, response.json
    errors = response.json["errors"]["json"]
    assert field in errors
    assert words.lower() in str(errors[field]).lower()


def test_a_person_may_be_primary_and_secondary(client):
    body = _body(members=members(("Alice", "primary"), ("Bob", "primary"), ("Alice", "secondary")))
    assert client.post("/api/v1/schedules", json=body).status_code == 201


def test_second_schedule_for_a_team_is_409_whatever_the_case(make_schedule, client):
    make_schedule()
    response = client.post("/api/v1/schedules", json=_body(team="Platform-Engineering"))
    assert response.status_code == 409
    assert "already has a schedule" in response.json["message"]


def test_non_json_body_is_415(client):
    response = client.post("/api/v1/schedules", data="team=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_list_read_replace_patch_delete(client, make_schedule):
    first = make_schedule(team="web")
    make_schedule(team="Api")
    page = client.get("/api/v1/schedules?page_size=1").json
    assert (page["total"], page["page_size"], [s["team"] for s in page["items"]]) == (2, 1, ["Api"])
    assert [s["team"] for s in client.get("/api/v1/schedules?team=WEB").json["items"]] == ["web"]

    path = f"/api/v1/schedules/{first['id']}"
    assert client.get(path).json == first

    replaced = client.put(path, json=_body(team="web", rotation_type="daily", timezone="Europe/Berlin")).json
    assert (replaced["rotation_type"], replaced["timezone"], people(replaced["members"])) == (
        "daily",
        "Europe/Berlin",
        members(("Alice", "primary")),
    )
    assert replaced["created_at"] == first["created_at"]
    assert replaced["updated_at"] > first["updated_at"]

    patched = client.patch(path, json={"handoff_time": "09:30", "escalation_timeout_seconds": 60}).json
    assert (patched["handoff_time"], patched["escalation_timeout_seconds"], patched["timezone"]) == (
        "09:30",
        60,
        "Europe/Berlin",
    )
    assert patched["members"] == replaced["members"]
    assert client.patch(path, json={"members": members(("Sam", "secondary"))}).status_code == 422
    assert client.patch(path, json={}).status_code == 422
    assert client.patch(path, json={"team": "api"}).status_code == 409

    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404
    assert client.delete(path).status_code == 404


def test_unknown_and_malformed_schedule_ids(client):
    assert client.get(f"/api/v1/schedules/{uuid.uuid4()}").status_code == 404
    response = client.get("/api/v1/schedules/not-a-uuid")
    assert response.status_code == 400
    assert "schedule_id" in response.json["errors"]


def test_current_follows_the_spec_rule(client, make_schedule):
    make_schedule()
    # 2024-03-06 is in ISO week 10: primaries[10 % 2] = Alice; secondaries[10 % 1] = Sam.
    response = client.get("/api/v1/oncall/current?team=platform-engineering&at=2024-03-06T12:00:00Z")
    assert response.status_code == 200
    assert response.json == {
        "team": "platform-engineering",
        "primary": {"name": "Alice", "email": "alice@example.com"},
        "secondary": {"name": "Sam", "email": "sam@example.com"},
        "shift_start": "2024-03-04T00:00:00+00:00",
        "shift_end": "2024-03-11T00:00:00+00:00",
        "override": False,
    }
    week11 = client.get("/api/v1/oncall/current?team=PLATFORM-ENGINEERING&at=2024-03-11T00:00:00Z").json
    assert week11["primary"]["name"] == "Bob"


def test_current_now_and_errors(client, make_schedule):
    make_schedule(members=members(("Alice", "primary")))
    now = client.get("/api/v1/oncall/current?team=platform-engineering").json
    assert now["primary"]["name"] == "Alice"
    assert now["secondary"] is None
    assert now["shift_start"] <= dt.datetime.now(dt.UTC).isoformat() < now["shift_end"]
    missing = client.get("/api/v1/oncall/current")
    assert missing.status_code == 422
    assert "team" in missing.json["errors"]["query"]
    unknown = client.get("/api/v1/oncall/current?team=nobody")
    assert unknown.status_code == 404
    assert "nobody" in unknown.json["message"]
    assert client.get("/api/v1/oncall/current?team=platform-engineering&at=yesterday").status_code == 422


def test_overrides_change_who_is_on_call_and_can_be_removed(client, make_schedule):
    schedule = make_schedule(rotation_start="2024-03-04")
    path = f"/api/v1/schedules/{schedule['id']}/overrides"
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    body = {
        "name": "Carol",
        "email": "carol@example.com",
        "role": "primary",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=8)).isoformat(),
    }
    created = client.post(path, json=body)
    assert created.status_code == 201, created.json
    assert created.json["name"] == "Carol"

    at = (start + dt.timedelta(hours=1)).isoformat()
    current = client.get("/api/v1/oncall/current", query_string={"team": "platform-engineering", "at": at}).json
    assert (current["primary"]["name"], current["override"]) == ("Carol", True)
    assert current["shift_start"] == start.isoformat()
    assert current["secondary"]["name"] == "Sam"

    listed = client.get(path).json
    assert (listed["total"], listed["items"][0]["id"]) == (1, created.json["id"])
    later = (start + dt.timedelta(days=1)).isoformat()
    assert client.get(path, query_string={"ending_after": later}).json["total"] == 0

    assert client.delete(f"{path}/{created.json['id']}").status_code == 204
    assert client.delete(f"{path}/{created.json['id']}").status_code == 404
    current = client.get("/api/v1/oncall/current", query_string={"team": "platform-engineering", "at": at}).json
    assert current["override"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end": "2030-01-01T00:00:00Z", "start": "2030-01-02T00:00:00Z"}, "end"),
        ({"start": "2030-01-01T00:00:00Z", "end": "2031-06-01T00:00:00Z"}, "end"),
        ({"start": "2020-01-01T00:00:00Z", "end": "2020-01-02T00:00:00Z"}, "end"),  # over already
        ({"role": "observer"}, "role"),
        ({"email": "carol"}, "email"),
        ({"start": "not a time"}, "start"),
    ],
)
def test_invalid_override_is_422(client, make_schedule, change, field):
    schedule = make_schedule()
    body = {"name": "Carol", "email": "carol@example.com", "role": "primary", "start": "2030-01-01T00:00:00Z"}
    body.update({"end": "2030-01-02T00:00:00Z", **change})
    response = client.post(f"/api/v1/schedules/{schedule['id']}/overrides", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_override_of_unknown_schedule_is_404(client):
    body = {"name": "C", "email": "c@example.com", "role": "primary", "start": "2030-01-01T00:00:00Z"}
    body["end"] = "2030-01-02T00:00:00Z"
    assert client.post(f"/api/v1/schedules/{uuid.uuid4()}/overrides", json=body).status_code == 404


def test_shifts_of_the_next_weeks(client, make_schedule):
    make_schedule(rotation_type="daily", timezone="Europe/Berlin", handoff_time="09:00", rotation_start="2024-03-30")
    query = {"team": "platform-engineering", "since": "2024-03-30T08:00:00Z", "until": "2024-04-02T07:00:00Z"}
    answer = client.get("/api/v1/oncall/shifts", query_string=query).json
    assert answer["timezone"] == "Europe/Berlin"
    assert [(s["start"], s["end"], s["primary"]["name"]) for s in answer["shifts"]] == [
        ("2024-03-30T08:00:00+00:00", "2024-03-31T07:00:00+00:00", "Alice"),  # 23 h: DST begins
        ("2024-03-31T07:00:00+00:00", "2024-04-01T07:00:00+00:00", "Bob"),
        ("2024-04-01T07:00:00+00:00", "2024-04-02T07:00:00+00:00", "Alice"),
    ]
    default = client.get("/api/v1/oncall/shifts?team=platform-engineering").json["shifts"]
    assert 28 <= len(default) <= 29  # four weeks of daily shifts from now


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"team": "nobody"}, 404),
        ({}, 422),
        ({"team": "platform-engineering", "since": "2024-02-01T00:00:00Z", "until": "2024-01-01T00:00:00Z"}, 422),
        ({"team": "platform-engineering", "since": "2024-01-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, 422),
    ],
)
def test_shifts_errors(client, make_schedule, query, status):
    make_schedule()
    assert client.get("/api/v1/oncall/shifts", query_string=query).status_code == status


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/docs/openapi.json").json["paths"]
    for path in (
        "/api/v1/schedules",
        "/api/v1/schedules/{schedule_id}",
        "/api/v1/schedules/{schedule_id}/overrides",
        "/api/v1/oncall/current",
        "/api/v1/oncall/shifts",
        "/api/v1/oncall/chain",
        "/api/v1/escalation-policies/{policy_id}/chain",
        "/api/v1/escalation-policies",
        "/api/v1/escalation-policies/{policy_id}",
        "/api/v1/service-routes",
        "/api/v1/service-routes/{route_id}",
        "/api/v1/escalate",
    ):
        assert path in paths
    assert client.get("/docs/swagger").status_code == 200
