"""Shift swaps over the on-call service's API: the person on call offers a stretch, someone takes it (an
override), offers are withdrawn; each refusal is a 4xx naming the reason."""

import datetime as dt

import pytest

import oncall_service
from tests.auth.conftest import AUTH_ON, TEST_PASSWORD, sign_in

UNKNOWN = "00000000-0000-4000-8000-000000000000"
SCHEDULE = {
    "team": "payments",
    "rotation_type": "weekly",
    "members": [
        {"name": "Alice", "email": "alice@example.com", "role": "primary"},
        {"name": "Sam", "email": "sam@example.com", "role": "secondary"},
    ],
}


@pytest.fixture
def client(make_app):
    return make_app(oncall_service.create_app).test_client()


@pytest.fixture
def swaps(client):
    made = client.post("/api/v1/schedules", json=SCHEDULE)
    assert made.status_code == 201, made.json
    return f"/api/v1/schedules/{made.json['id']}/swaps"


def hours(n):
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=n)).replace(microsecond=0)


def offer(client, swaps, **changes):
    body = {"role": "primary", "start": hours(1).isoformat(), "end": hours(4).isoformat(), **changes}
    return client.post(swaps, json={"name": "Alice", "email": "alice@example.com", **body})


def on_call(client, at):
    return client.get("/api/v1/oncall/current", query_string={"team": "payments", "at": at.isoformat()}).json


def test_an_offered_shift_taken_becomes_an_override(client, swaps):
    offered = offer(client, swaps, note="Dentist")
    assert offered.status_code == 201, offered.json
    assert (offered.json["status"], offered.json["offered_name"], offered.json["note"]) == ("open", "Alice", "Dentist")

    taken = client.post(f"{swaps}/{offered.json['id']}/take", json={"name": "Carol", "email": "carol@example.com"})

    assert taken.status_code == 200, taken.json
    assert (taken.json["status"], taken.json["taken_name"]) == ("taken", "Carol")
    during, after = on_call(client, hours(2)), on_call(client, hours(5))
    assert (during["primary"]["name"], during["override"]) == ("Carol", True)
    assert (during["secondary"]["name"], after["primary"]["name"]) == ("Sam", "Alice")
    overrides = client.get(swaps.replace("/swaps", "/overrides")).json["items"]
    assert [(o["id"], o["name"]) for o in overrides] == [(taken.json["override_id"], "Carol")]

    again = client.post(f"{swaps}/{offered.json['id']}/take", json={"name": "Dan", "email": "dan@example.com"})
    withdrawn = client.delete(f"{swaps}/{offered.json['id']}")
    assert (
        again.status_code == 409
        and again.json["message"] == "Carol took this shift already (its override can be deleted)"
    )
    assert withdrawn.status_code == 409


def test_an_open_offer_is_listed_and_can_be_withdrawn(client, swaps):
    first = offer(client, swaps).json
    second = offer(client, swaps, start=hours(10).isoformat(), end=hours(12).isoformat()).json
    assert client.delete(f"{swaps}/{first['id']}").json["status"] == "cancelled"

    assert [s["id"] for s in client.get(swaps, query_string={"status": "open"}).json["items"]] == [second["id"]]
    assert client.get(swaps).json["total"] == 2
    assert client.get(f"{swaps}/{first['id']}").json["status"] == "cancelled"
    late = client.post(f"{swaps}/{first['id']}/take", json={"name": "Carol", "email": "carol@example.com"})
    assert late.status_code == 409 and late.json["message"] == "Alice withdrew this offer"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "Sam", "email": "sam@example.com"}, "start", "Sam is not the primary on call for all of that time"),
        ({"role": "secondary"}, "start", "Alice is not the secondary on call"),
        ({"role": "tertiary"}, "role", "Must be one of"),
        ({"end": hours(-1).isoformat(), "start": hours(-3).isoformat()}, "end", "Must be in the future"),
        ({"end": hours(0.5).isoformat()}, "end", "Must be after start"),
        ({"end": hours(24 * 40).isoformat()}, "end", "at most 31 days"),
        ({"start": "tomorrow"}, "start", "Not a valid datetime"),
        ({"email": "not-an-address"}, "email", "Not a valid email"),
        ({"note": "x" * 1001}, "note", "Longer than maximum length"),
    ],
)
def test_a_bad_offer_is_refused_naming_the_field(client, swaps, changes, field, words):
    response = offer(client, swaps, **changes)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert words in response.json["errors"]["json"][field][0]


def test_who_takes_and_unknown_ids(client, swaps):
    offered = offer(client, swaps).json
    own = client.post(f"{swaps}/{offered['id']}/take", json={"name": "Alice", "email": "ALICE@example.com"})
    nobody = client.post(f"{swaps}/{offered['id']}/take", json={})  # auth off: the caller is no user

    assert own.status_code == 422 and own.json["errors"]["json"]["email"] == [
        "The person who offered the shift cannot take it."
    ]
    assert nobody.status_code == 422 and "email" in nobody.json["errors"]["json"]
    assert client.post(f"{swaps}/{UNKNOWN}/take", json={"email": "carol@example.com"}).status_code == 404
    assert client.get(f"{swaps}/not-a-uuid").status_code == 400
    assert client.get(f"/api/v1/schedules/{UNKNOWN}/swaps").status_code == 404
    assert offer(client, f"/api/v1/schedules/{UNKNOWN}/swaps").status_code == 404
    assert client.delete(f"{swaps}/{UNKNOWN}").status_code == 404
    assert client.get(swaps, query_string={"status": "maybe"}).status_code == 422


def test_a_swap_that_started_is_covered_from_now_on(client, swaps, sql):
    offered = offer(client, swaps).json
    sql(
        "UPDATE shift_swaps SET start_at = now() - interval '1 hour', end_at = now() + interval '1 hour' WHERE id = %s",
        (offered["id"],),
    )
    taken = client.post(f"{swaps}/{offered['id']}/take", json={"name": "Carol", "email": "carol@example.com"}).json
    [override] = client.get(swaps.replace("/swaps", "/overrides")).json["items"]
    assert override["id"] == taken["override_id"]
    # Covered from the moment it was taken, not from the stretch's start an hour ago.
    assert dt.datetime.fromisoformat(override["start"]) > dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)

    reopened = "UPDATE shift_swaps SET status = 'open', taken_name = NULL, taken_email = NULL, "
    sql(reopened + "end_at = now() - interval '1 minute' WHERE id = %s", (offered["id"],))
    over = client.post(f"{swaps}/{offered['id']}/take", json={"name": "Dan", "email": "dan@example.com"})
    assert over.status_code == 409 and "is over" in over.json["message"]


def test_signed_in_people_offer_and_take_as_themselves(make_app):
    app = make_app(oncall_service.create_app, **AUTH_ON)
    admin = app.test_client()
    admin.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {AUTH_ON['ADMIN_API_KEY']}"
    clients = {}
    for name in ("Alice", "Carol"):
        email = f"{name.lower()}@example.com"
        body = {"name": name, "email": email, "role": "responder", "password": TEST_PASSWORD}
        assert admin.post("/api/v1/users", json=body).status_code == 201
        client = clients[name] = app.test_client()
        client.environ_base["HTTP_X_CSRF_TOKEN"] = sign_in(client, email, TEST_PASSWORD).json["csrf_token"]
    schedule = admin.post("/api/v1/schedules", json=SCHEDULE).json
    swaps = f"/api/v1/schedules/{schedule['id']}/swaps"
    body = {"role": "primary", "start": hours(1).isoformat(), "end": hours(2).isoformat()}

    offered = clients["Alice"].post(swaps, json=body)
    taken = clients["Carol"].post(f"{swaps}/{offered.json['id']}/take", json={})

    assert offered.status_code == 201, offered.json
    assert (offered.json["offered_name"], offered.json["offered_email"]) == ("Alice", "alice@example.com")
    assert taken.status_code == 200, taken.json
    assert (taken.json["taken_name"], taken.json["taken_email"]) == ("Carol", "carol@example.com")
