"""Bad requests get a 4xx naming each wrong field, and nothing is stored."""

import pytest


def valid(incident, **overrides):
    body = {"incident_id": incident, "channel": "log", "recipient": "alice", "message": "db down"}
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"incident_id": None}, "incident_id"),
        ({"incident_id": "not-a-uuid"}, "incident_id"),
        ({"recipient": None}, "recipient"),
        ({"recipient": ""}, "recipient"),
        ({"message": None}, "message"),
        ({"message": ""}, "message"),
        ({"message": "x" * 10001}, "message"),
        ({"channel": "pager"}, "channel"),
        ({"channel": 7}, "channel"),
        ({"channel": "email", "recipient": "alice"}, "recipient"),
        ({"channel": "email", "recipient": "http://example.com/hook"}, "recipient"),
        ({"channel": "webhook", "recipient": "alice@example.com"}, "recipient"),
        ({"channel": "webhook", "recipient": "ftp://example.com/hook"}, "recipient"),
        ({"channel": "slack", "recipient": "hooks.slack.com/services/T/B/X"}, "recipient"),
        ({"subject": "two\nlines"}, "subject"),
        ({"subject": "s" * 501}, "subject"),
        ({"dedup_key": ""}, "dedup_key"),
        ({"priority": "high"}, "priority"),
    ],
)
def test_a_bad_field_is_named_in_a_422(client, sql, incident_id, overrides, field):
    response = client.post("/api/v1/notify", json=valid(incident_id, **overrides))

    assert response.status_code == 422, response.json
    assert response.json["code"] == 422
    assert list(response.json["errors"]["json"]) == [field]
    assert sql("SELECT count(*) FROM notifications") == [(0,)]


def test_every_bad_field_is_named_at_once(client):
    response = client.post(
        "/api/v1/notify", json={"channel": "email", "recipient": "not-an-address", "subject": "a\nb"}
    )

    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"incident_id", "message", "recipient", "subject"}
    assert "e-mail address" in response.json["errors"]["json"]["recipient"][0]


def test_channel_names_are_forgiving_about_case_and_spaces(client, incident_id):
    response = client.post("/api/v1/notify", json=valid(incident_id, channel=" LOG "))

    assert response.status_code == 201
    assert response.json["channel"] == "log"


def test_the_log_channel_is_the_default(client, incident_id):
    response = client.post("/api/v1/notify", json=valid(incident_id, channel=None))

    assert response.status_code == 201
    assert response.json["channel"] == "log"


def test_any_incident_id_is_taken_as_given(client, sql):
    """Incidents are incident management's: the notification service neither reads nor references their table."""
    response = client.post("/api/v1/notify", json=valid("00000000-0000-4000-8000-000000000000"))

    assert response.status_code == 201
    assert response.json["incident_id"] == "00000000-0000-4000-8000-000000000000"
    assert sql("SELECT count(*) FROM incidents") == [(0,)]
    assert sql("SELECT count(*) FROM notifications") == [(1,)]


def test_a_body_that_is_not_json_is_refused(client):
    response = client.post("/api/v1/notify", data="incident_id=1", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert "application/json" in response.json["message"]


def test_a_json_body_that_is_not_an_object_is_refused(client):
    response = client.post("/api/v1/notify", json=["log", "alice"])

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("channel=pager", "channel"),
        ("incident_id=7", "incident_id"),
        ("page=0", "page"),
        ("page_size=201", "page_size"),
        ("since=yesterday", "since"),
    ],
)
def test_bad_list_filters_are_named(client, query, field):
    response = client.get(f"/api/v1/notifications?{query}")

    assert response.status_code == 422
    assert list(response.json["errors"]["query"]) == [field]


def test_reading_a_notification_by_a_malformed_or_unknown_id(client):
    malformed = client.get("/api/v1/notifications/42")
    unknown = client.get("/api/v1/notifications/00000000-0000-4000-8000-000000000000")

    assert malformed.status_code == 400
    assert malformed.json["errors"] == {"notification_id": ["Not a valid UUID."]}
    assert unknown.status_code == 404
    assert "not found" in unknown.json["message"]
