"""Notification rules: the pure choice of deliveries (table tests), and the API over a real database, down to
the internal paging targets that incident management reads."""

import uuid

import pytest

import oncall_service
from oncall_service.identity.notification_rules import deliveries
from tests.auth.conftest import AUTH_ON, TEST_PASSWORD, sign_in

UNKNOWN = "00000000-0000-4000-8000-000000000000"
EMAIL = {"id": "m-email", "type": "email", "address": "a@example.com", "label": None}
SLACK = {"id": "m-slack", "type": "slack", "address": "https://hooks.example.com/a", "label": None}
PUSH = {"id": "m-push", "type": "apprise", "address": "ntfy://ntfy.example.com/a", "label": "phone"}


def rule(rule_id, method, delay):
    return {"id": rule_id, "contact_method_id": method["id"], "delay_seconds": delay}


def planned(found):
    return [(d["id"], d["delay_seconds"], d["rule_id"]) for d in found]


@pytest.mark.parametrize(
    ("rules", "methods", "expected"),
    [
        # No rules: every verified method at once, in the order they were added.
        ([], [EMAIL, SLACK], [("m-email", 0, None), ("m-slack", 0, None)]),
        ([], [], []),
        # "E-mail at once, Slack after 2 minutes."
        (
            [rule("r1", SLACK, 120), rule("r2", EMAIL, 0)],
            [EMAIL, SLACK],
            [("m-email", 0, "r2"), ("m-slack", 120, "r1")],
        ),
        # A method twice: push now, push again after 5 minutes; same delay keeps the methods' order.
        (
            [rule("r1", PUSH, 300), rule("r2", PUSH, 0), rule("r3", EMAIL, 0)],
            [EMAIL, PUSH],
            [("m-email", 0, "r3"), ("m-push", 0, "r2"), ("m-push", 300, "r1")],
        ),
        # Only a later delivery: nothing goes at once.
        ([rule("r1", SLACK, 60)], [EMAIL, SLACK], [("m-slack", 60, "r1")]),
        # A rule on a method that is not verified reaches nothing; the others still apply.
        ([rule("r1", PUSH, 0), rule("r2", EMAIL, 30)], [EMAIL], [("m-email", 30, "r2")]),
        # Rules that reach no verified method at all: the default, so nobody goes unpaged.
        ([rule("r1", PUSH, 0)], [EMAIL, SLACK], [("m-email", 0, None), ("m-slack", 0, None)]),
    ],
)
def test_deliveries(rules, methods, expected):
    assert planned(deliveries(rules, methods)) == expected


def test_deliveries_keep_the_methods_addresses():
    [found] = deliveries([rule("r1", PUSH, 90)], [PUSH])
    assert found == {**PUSH, "delay_seconds": 90, "rule_id": "r1"}


@pytest.fixture
def client(make_app):
    return make_app(oncall_service.create_app).test_client()


@pytest.fixture
def user(client):
    email = f"alice-{uuid.uuid4().hex[:6]}@example.com"
    made = client.post("/api/v1/users", json={"name": "Alice", "email": email})
    assert made.status_code == 201, made.json
    return made.json


def add_method(client, user, kind, address):
    made = client.post(f"/api/v1/users/{user['id']}/contact-methods", json={"type": kind, "address": address})
    assert made.status_code == 201, made.json
    return made.json


def test_rules_are_added_listed_changed_and_removed(client, user):
    rules = f"/api/v1/users/{user['id']}/notification-rules"
    email = add_method(client, user, "email", user["email"])
    slack = add_method(client, user, "slack", "https://hooks.example.com/alice")
    assert client.get(rules).json == {"items": [], "uses_default": True}

    later = client.post(rules, json={"contact_method_id": slack["id"], "delay_seconds": 120})
    now = client.post(rules, json={"contact_method_id": email["id"], "delay_seconds": 0})

    assert later.status_code == 201 and now.status_code == 201, (later.json, now.json)
    assert later.json["contact_method"] == {
        "id": slack["id"],
        "type": "slack",
        "address": "https://hooks.example.com/alice",
        "label": None,
        "verified": True,
    }
    listed = client.get(rules).json
    kinds = [(r["contact_method"]["type"], r["delay_seconds"]) for r in listed["items"]]
    assert kinds == [("email", 0), ("slack", 120)]
    assert listed["uses_default"] is False
    assert client.get(f"{rules}/{later.json['id']}").json == later.json

    changed = client.put(f"{rules}/{later.json['id']}", json={"contact_method_id": slack["id"], "delay_seconds": 300})
    assert changed.status_code == 200 and changed.json["delay_seconds"] == 300
    assert client.delete(f"{rules}/{later.json['id']}").status_code == 204
    assert client.get(f"{rules}/{later.json['id']}").status_code == 404
    assert [r["id"] for r in client.get(rules).json["items"]] == [now.json["id"]]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"delay_seconds": 0}, "contact_method_id", "Missing"),
        ({"contact_method_id": "nope", "delay_seconds": 0}, "contact_method_id", "Not a valid UUID"),
        ({"contact_method_id": UNKNOWN}, "delay_seconds", "Missing"),
        ({"contact_method_id": UNKNOWN, "delay_seconds": -1}, "delay_seconds", "greater than or equal to 0"),
        ({"contact_method_id": UNKNOWN, "delay_seconds": 86401}, "delay_seconds", "less than or equal to 86400"),
        ({"contact_method_id": UNKNOWN, "delay_seconds": "60"}, "delay_seconds", "Not a valid integer"),
        ({"contact_method_id": UNKNOWN, "delay_seconds": 1.5}, "delay_seconds", "Not a valid integer"),
        ({"contact_method_id": UNKNOWN, "delay_seconds": 0}, "contact_method_id", "Not one of this user's"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field(client, user, body, field, words):
    response = client.post(f"/api/v1/users/{user['id']}/notification-rules", json=body)
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]["json"]) == [field]
    assert words in response.json["errors"]["json"][field][0]


def test_another_users_method_the_same_rule_twice_and_unknown_ids(client, user):
    rules = f"/api/v1/users/{user['id']}/notification-rules"
    bob = client.post("/api/v1/users", json={"name": "Bob", "email": f"bob-{uuid.uuid4().hex[:6]}@example.com"}).json
    bobs = add_method(client, bob, "log", "bob")
    mine = add_method(client, user, "log", "alice")

    theirs = client.post(rules, json={"contact_method_id": bobs["id"], "delay_seconds": 0})
    first = client.post(rules, json={"contact_method_id": mine["id"], "delay_seconds": 60})
    again = client.post(rules, json={"contact_method_id": mine["id"], "delay_seconds": 60})

    assert theirs.status_code == 422 and "contact_method_id" in theirs.json["errors"]["json"]
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json["message"] == "the user already has a rule for that contact method after 60 seconds"
    assert client.get(f"/api/v1/users/{UNKNOWN}/notification-rules").status_code == 404
    body = {"contact_method_id": mine["id"], "delay_seconds": 0}
    assert client.post(f"/api/v1/users/{UNKNOWN}/notification-rules", json=body).status_code == 404
    assert client.get("/api/v1/users/not-a-uuid/notification-rules").status_code == 400
    assert client.get(f"{rules}/not-a-uuid").status_code == 400
    assert client.delete(f"{rules}/{UNKNOWN}").status_code == 404
    moved = client.put(f"{rules}/{first.json['id']}", json={"contact_method_id": bobs["id"], "delay_seconds": 5})
    assert moved.status_code == 422


def test_a_deleted_contact_method_takes_its_rules_with_it(client, user):
    method = add_method(client, user, "log", "alice")
    rules = f"/api/v1/users/{user['id']}/notification-rules"
    assert client.post(rules, json={"contact_method_id": method["id"], "delay_seconds": 0}).status_code == 201
    assert client.delete(f"/api/v1/users/{user['id']}/contact-methods/{method['id']}").status_code == 204
    assert client.get(rules).json == {"items": [], "uses_default": True}


def test_the_paging_targets_follow_the_rules(client, user):
    email = add_method(client, user, "email", user["email"])
    slack = add_method(client, user, "slack", "https://hooks.example.com/alice")
    targets = f"/internal/v1/paging-targets?email={user['email']}"
    default = client.get(targets).json["methods"]
    assert [(m["type"], m["delay_seconds"], m["rule_id"]) for m in default] == [("email", 0, None), ("slack", 0, None)]

    rules = f"/api/v1/users/{user['id']}/notification-rules"
    late = client.post(rules, json={"contact_method_id": slack["id"], "delay_seconds": 120}).json
    soon = client.post(rules, json={"contact_method_id": email["id"], "delay_seconds": 0}).json

    methods = client.get(targets).json["methods"]
    assert [(m["address"], m["delay_seconds"], m["rule_id"]) for m in methods] == [
        (user["email"], 0, soon["id"]),
        ("https://hooks.example.com/alice", 120, late["id"]),
    ]


def test_only_the_user_or_an_admin_changes_the_rules(make_app):
    oncall = make_app(oncall_service.create_app, **AUTH_ON)
    admin = oncall.test_client()
    admin.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {AUTH_ON['ADMIN_API_KEY']}"
    people = {}
    for name in ("alice", "bob"):
        body = {"name": name, "email": f"{name}@example.com", "role": "viewer", "password": TEST_PASSWORD}
        people[name] = admin.post("/api/v1/users", json=body).json
    method = admin.post(f"/api/v1/users/{people['alice']['id']}/contact-methods", json={"type": "log", "address": "a"})
    body = {"contact_method_id": method.json["id"], "delay_seconds": 0}
    rules = f"/api/v1/users/{people['alice']['id']}/notification-rules"
    alice, bob = oncall.test_client(), oncall.test_client()
    for client, email in ((alice, "alice@example.com"), (bob, "bob@example.com")):
        signed_in = sign_in(client, email, TEST_PASSWORD)
        client.environ_base["HTTP_X_CSRF_TOKEN"] = signed_in.json["csrf_token"]

    refused = bob.post(rules, json=body)
    own = alice.post(rules, json=body)

    assert refused.status_code == 403
    assert own.status_code == 201
    assert bob.get(rules).status_code == 200  # anyone signed in may read them
    assert bob.delete(f"{rules}/{own.json['id']}").status_code == 403
    assert admin.delete(f"{rules}/{own.json['id']}").status_code == 204
