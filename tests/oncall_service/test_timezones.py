"""Time zones are strings checked against zoneinfo when a request comes in, not an enumeration in the OpenAPI
document: the list would be this machine's tzdata, and the generated client would differ on another one."""

import pytest

import oncall_service

SCHEDULE = {
    "team": "tz-team",
    "rotation_type": "weekly",
    "members": [{"name": "Alice", "email": "alice@example.com", "role": "primary"}],
}
WRONG = ["Mars/Olympus", "America/", "../../etc/passwd", "/etc/passwd", "zone.tab", "UTC ", "x" * 65, ""]


@pytest.fixture
def client(make_app):
    return make_app(oncall_service.create_app).test_client()


def timezone_properties(node, path="#"):
    """(path, schema) of every property named timezone in an OpenAPI document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict) and "timezone" in value:
                yield f"{path}/properties/timezone", value["timezone"]
            yield from timezone_properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from timezone_properties(value, f"{path}/{index}")


def test_the_document_says_string_and_lists_no_zones(client):
    document = client.get("/docs/openapi.json").json
    found = dict(timezone_properties(document))
    for path, schema in found.items():
        assert schema["type"] == "string" and "enum" not in schema, path
    taken = {path: schema for path, schema in found.items() if "maxLength" in schema}  # the request bodies
    assert {path.split("/")[3] for path in taken} >= {"ScheduleCreate", "UserCreate", "UserPatch", "WorkingHours"}
    for path, schema in taken.items():
        assert (schema["maxLength"], schema["example"]) == (64, "Europe/Berlin"), path
    assert "Africa/Abidjan" not in client.get("/docs/openapi.json").get_data(as_text=True)


@pytest.mark.parametrize("zone", WRONG)
def test_an_unknown_zone_is_422_naming_it(client, zone):
    response = client.post("/api/v1/schedules", json={**SCHEDULE, "timezone": zone})
    assert response.status_code == 422
    messages = response.json["errors"]["json"]["timezone"]
    assert f"Unknown time zone {zone!r}: use an IANA name such as Europe/Berlin." in messages
    if not 1 <= len(zone) <= 64:
        assert "Length must be between 1 and 64." in messages
    assert response.json["message"].startswith("invalid request: json.timezone: ")


@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires"])
def test_a_known_zone_is_taken(client, zone):
    response = client.post("/api/v1/schedules", json={**SCHEDULE, "timezone": zone})
    assert response.status_code == 201, response.json
    assert response.json["timezone"] == zone


def test_users_and_working_hours_check_their_zones_too(client):
    user = client.post("/api/v1/users", json={"name": "Tz", "email": "tz@example.com", "timezone": "Mars/Olympus"})
    assert user.status_code == 422
    assert user.json["errors"]["json"]["timezone"] == [
        "Unknown time zone 'Mars/Olympus': use an IANA name such as Europe/Berlin."
    ]
    assert (
        client.post("/api/v1/users", json={"name": "Tz", "email": "tz@example.com", "timezone": "Asia/Tokyo"}).json[
            "timezone"
        ]
        == "Asia/Tokyo"
    )
