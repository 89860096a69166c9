"""Issue 13: input that used to get a 500 gets a 4xx in the one error shape, naming the field, and writes nothing."""

import json
import uuid

import pytest

import alert_ingestion
import incident_management
import notification_service
import oncall_service
from tests.ports import closed_port_url

ALERT = {"service": "payments", "severity": "critical", "message": "p99 latency above 2s"}
SCHEDULE = {
    "team": "hardening",
    "rotation_type": "weekly",
    "members": [{"name": "Alice", "email": "alice@example.com", "role": "primary"}],
}
NUL, SURROGATE = "\u0000", "\ud800"


@pytest.fixture
def clients(make_app):
    ingestion = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=closed_port_url())
    return {
        "alerts": ingestion.test_client(),
        "incidents": make_app(incident_management.create_app).test_client(),
        "oncall": make_app(oncall_service.create_app).test_client(),
        "notify": make_app(notification_service.create_app).test_client(),
    }


def post_raw(client, path, body, method="POST"):
    """Send JSON with escapes as given (json.dumps writes a lone surrogate as \\ud800, as a sender would)."""
    return client.open(path, method=method, data=json.dumps(body), content_type="application/json")


def assert_error_shape(response, code):
    assert response.status_code == code, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.json["code"] == code
    assert response.json["message"]


def stored(sql):
    return sql(
        "SELECT (SELECT count(*) FROM alerts) + (SELECT count(*) FROM incidents)"
        " + (SELECT count(*) FROM incident_notes) + (SELECT count(*) FROM notifications)"
    )[0][0]


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize(
    ("service", "path", "body", "field"),
    [
        ("alerts", "/api/v1/alerts", {**ALERT, "message": "m{bad}"}, ["message"]),
        ("alerts", "/api/v1/alerts", {**ALERT, "service": "s{bad}"}, ["service"]),
        ("alerts", "/api/v1/alerts", {**ALERT, "labels": {"k": "v{bad}"}}, ["labels", "k"]),
        ("alerts", "/api/v1/alerts", {**ALERT, "labels": {"k{bad}": "v"}}, ["labels"]),
        ("incidents", "/api/v1/incidents/{incident}/notes", {"author": "a", "content": "c{bad}"}, ["content"]),
        ("incidents", "/api/v1/incidents", {"title": "t{bad}", "service": "s", "severity": "low"}, ["title"]),
        ("oncall", "/api/v1/schedules", {**SCHEDULE, "team": "t{bad}"}, ["team"]),
        (
            "notify",
            "/api/v1/notify",
            {"incident_id": "{incident}", "channel": "log", "recipient": "r", "message": "m{bad}"},
            ["message"],
        ),
    ],
)
def test_nul_and_lone_surrogates_are_422_naming_the_field(clients, sql, bad, service, path, body, field):
    incident = str(uuid.uuid4())
    text = json.dumps(body).replace("{bad}", json.dumps(bad)[1:-1]).replace("{incident}", incident)
    response = clients[service].post(path.format(incident=incident), data=text, content_type="application/json")
    assert_error_shape(response, 422)
    errors = response.json["errors"]["json"]
    for key in field:
        errors = errors[key]
    assert stored(sql) == 0


@pytest.mark.parametrize("service", ["alerts", "incidents", "oncall", "notify"])
def test_nul_in_a_query_argument_is_422(clients, service):
    path = {
        "alerts": "/api/v1/alerts",
        "incidents": "/api/v1/incidents",
        "oncall": "/api/v1/schedules",
        "notify": "/api/v1/notifications",
    }[service]
    key = "recipient" if service == "notify" else "team" if service == "oncall" else "service"
    response = clients[service].get(f"{path}?{key}=a%00b")
    assert_error_shape(response, 422)
    assert key in response.json["errors"]["query"]


def test_json_nested_100000_levels_is_400(clients, sql):
    body = '{"service": "s", "severity": "low", "message": "m", "labels": {"k": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    assert 190_000 < len(body) < 256 * 1024
    response = clients["alerts"].post("/api/v1/alerts", data=body, content_type="application/json")
    assert_error_shape(response, 400)
    assert "nested" in response.json["message"].lower()
    assert stored(sql) == 0


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_json_cannot_carry_are_422(clients, sql, number):
    body = '{"service": "s", "severity": "low", "message": "m", "labels": {"k": NUMBER}}'.replace("NUMBER", number)
    response = clients["alerts"].post("/api/v1/alerts", data=body, content_type="application/json")
    assert_error_shape(response, 422)
    assert stored(sql) == 0


@pytest.mark.parametrize(
    ("service", "path"),
    [
        ("alerts", "/api/v1/alerts?page=100000000000000000000"),
        ("incidents", "/api/v1/incidents?page=9223372036854775808"),
        ("oncall", "/api/v1/schedules?page=9223372036854775808"),
        ("incidents", "/api/v1/escalations?page=9223372036854775808"),
        ("notify", "/api/v1/notifications?page=9223372036854775808"),
        ("alerts", "/api/v1/alerts?page=100001"),
    ],
)
def test_page_numbers_beyond_the_maximum_are_422(clients, service, path):
    response = clients[service].get(path)
    assert_error_shape(response, 422)
    assert "page" in response.json["errors"]["query"]
    assert clients[service].get(path.split("?")[0] + "?page=100000").status_code == 200


@pytest.mark.parametrize(
    "timestamp",
    [
        "2026-12-01T00:00:00+18:00",
        "2026-12-01T00:00:00-16:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-10:00",
        "1999-12-31T23:59:59Z",
    ],
)
def test_alert_timestamps_outside_the_window_or_offsets_are_422(clients, sql, timestamp):
    response = post_raw(clients["alerts"], "/api/v1/alerts", {**ALERT, "timestamp": timestamp})
    assert_error_shape(response, 422)
    assert "timestamp" in response.json["errors"]["json"]
    assert stored(sql) == 0


def test_an_alert_more_than_a_day_ahead_is_422_and_the_offset_is_stored_as_utc(make_app, live_server, sql):
    import datetime as dt

    incidents_url = live_server(make_app(incident_management.create_app))
    client = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url).test_client()
    ahead = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1, minutes=5)).isoformat()
    assert client.post("/api/v1/alerts", json={**ALERT, "timestamp": ahead}).status_code == 422
    accepted = client.post("/api/v1/alerts", json={**ALERT, "timestamp": "2026-01-01T00:00:00+15:59"})
    assert accepted.status_code == 201, accepted.json
    alert = client.get(f"/api/v1/alerts/{accepted.json['alert_id']}").json
    assert alert["timestamp"] == "2025-12-31T08:01:00+00:00"


@pytest.mark.parametrize(
    ("service", "path"),
    [
        ("alerts", "/api/v1/alerts?since=2026-12-01T00:00:00%2B18:00"),
        ("alerts", "/api/v1/alerts?until=9999-12-31T23:59:59-10:00"),
        ("incidents", "/api/v1/incidents?since=2026-12-01T00:00:00%2B18:00"),
        ("incidents", "/api/v1/incidents/stats?until=2026-12-01T00:00:00%2B18:00"),
        ("notify", "/api/v1/notifications?until=2026-12-01T00:00:00%2B18:00"),
        ("oncall", "/api/v1/oncall/current?team=hardening&at=9999-12-31T23:59:59Z"),
        ("oncall", "/api/v1/oncall/shifts?team=hardening&since=9999-12-01T00:00:00Z"),
    ],
)
def test_query_times_with_bad_offsets_or_out_of_range_are_422(clients, service, path):
    response = clients[service].get(path)
    assert_error_shape(response, 422)
    assert response.json["errors"]["query"]


def test_patch_a_schedule_member_without_email_is_422(clients):
    created = clients["oncall"].post("/api/v1/schedules", json=SCHEDULE)
    assert created.status_code == 201
    path = f"/api/v1/schedules/{created.json['id']}"
    response = clients["oncall"].patch(path, json={"members": [{"name": "Bob", "role": "primary"}]})
    assert_error_shape(response, 422)
    assert "email" in response.json["errors"]["json"]["members"]["0"]
    assert clients["oncall"].get(path).json["members"] == created.json["members"]
    renamed = clients["oncall"].patch(path, json={"timezone": "Europe/Berlin"})
    assert (renamed.status_code, renamed.json["members"]) == (200, created.json["members"])


def test_label_values_are_bounded(clients, sql):
    response = clients["alerts"].post("/api/v1/alerts", json={**ALERT, "labels": {"blob": "x" * 200_000}})
    assert_error_shape(response, 422)
    assert "labels" in response.json["errors"]["json"]
    assert stored(sql) == 0


def test_bodies_over_the_limit_are_413_in_the_error_shape(clients):
    response = post_raw(clients["incidents"], "/api/v1/incidents", {"title": "x" * 300_000})
    assert_error_shape(response, 413)
