"""Users and their contact methods over the on-call service's HTTP API, on a real database."""

import uuid

import pytest

import oncall_service

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def client(make_app):
    return make_app(oncall_service.create_app).test_client()


@pytest.fixture
def make_user(client):
    def make(**fields):
        body = {"name": "Alice", "email": f"alice-{uuid.uuid4().hex[:6]}@example.com", **fields}
        response = client.post("/api/v1/users", json=body)
        assert response.status_code == 201, response.json
        return response.json

    return make


def test_create_read_with_defaults(client, make_user):
    user = make_user(name="  Alice Liddell ", email="Alice@Example.com")
    assert (user["name"], user["email"], user["timezone"], user["role"], user["active"]) == (
        "Alice Liddell",
        "Alice@Example.com",
        "UTC",
        "responder",
        True,
    )
    assert client.get(f"/api/v1/users/{user['id']}").json == user


def test_email_is_unique_whatever_its_case(client, make_user):
    make_user(email="bob@example.com")
    response = client.post("/api/v1/users", json={"name": "Robert", "email": "BOB@example.com"})
    assert response.status_code == 409
    assert response.json["message"] == "a user with e-mail BOB@example.com already exists"
    other = make_user(email="robert@example.com")
    taken = client.patch(f"/api/v1/users/{other['id']}", json={"email": "Bob@Example.COM"})
    assert taken.status_code == 409


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"email": "a@example.com"}, "name", "Missing"),
        ({"name": "A"}, "email", "Missing"),
        ({"name": "A", "email": "not-an-address"}, "email", "email"),
        ({"name": "", "email": "a@example.com"}, "name", "Length"),
        ({"name": "A", "email": "a@example.com", "role": "root"}, "role", "Must be one of"),
        ({"name": "A", "email": "a@example.com", "timezone": "Mars/Olympus"}, "timezone", "Unknown time zone"),
        ({"name": "A", "email": "a@example.com", "active": False}, "active", "Unknown field"),
    ],
)
def test_bad_users_are_422_naming_the_field(client, sql, body, field, words):
    response = client.post("/api/v1/users", json=body)
    assert response.status_code == 422
    assert words in " ".join(response.json["errors"]["json"][field])
    assert sql("SELECT count(*) FROM users") == [(0,)]


def test_patch_changes_only_the_given_fields(client, make_user):
    user = make_user(timezone="Europe/Berlin")
    patched = client.patch(f"/api/v1/users/{user['id']}", json={"role": "admin", "name": "Alice A."}).json
    assert (patched["role"], patched["name"], patched["timezone"], patched["email"]) == (
        "admin",
        "Alice A.",
        "Europe/Berlin",
        user["email"],
    )
    assert patched["updated_at"] > user["updated_at"]
    assert client.patch(f"/api/v1/users/{user['id']}", json={}).status_code == 422


def test_delete_deactivates_and_the_record_stays(client, make_user):
    user = make_user()
    gone = client.delete(f"/api/v1/users/{user['id']}")
    assert (gone.status_code, gone.json["active"]) == (200, False)
    assert client.delete(f"/api/v1/users/{user['id']}").json["active"] is False  # twice changes nothing
    assert client.get(f"/api/v1/users/{user['id']}").json["active"] is False
    back = client.patch(f"/api/v1/users/{user['id']}", json={"active": True}).json
    assert back["active"] is True


def test_list_filters_and_pages(client, make_user):
    make_user(name="Carol", email="carol@example.com", role="admin")
    make_user(name="alice", email="alice@example.com")
    dan = make_user(name="Dan", email="dan@example.com", role="viewer")
    client.delete(f"/api/v1/users/{dan['id']}")
    names = lambda query: [u["name"] for u in client.get(f"/api/v1/users{query}").json["items"]]  # noqa: E731
    assert names("") == ["alice", "Carol", "Dan"]
    assert names("?role=admin") == ["Carol"]
    assert names("?active=false") == ["Dan"]
    assert names("?search=AROL") == ["Carol"]
    assert names("?email=ALICE@example.com") == ["alice"]
    page = client.get("/api/v1/users?page=2&page_size=2").json
    assert (page["total"], [u["name"] for u in page["items"]]) == (3, ["Dan"])
    assert client.get("/api/v1/users?role=root").status_code == 422


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_unknown_and_malformed_ids(client, method):
    body = {"json": {"name": "X"}} if method == "patch" else {}
    unknown = getattr(client, method)(f"/api/v1/users/{UNKNOWN}", **body)
    assert (unknown.status_code, unknown.json["message"]) == (404, f"user {UNKNOWN} not found")
    malformed = getattr(client, method)("/api/v1/users/12345", **body)
    assert (malformed.status_code, malformed.json["message"]) == (400, "user_id must be a UUID")


def test_contact_methods_crud(client, make_user):
    user = make_user()
    path = f"/api/v1/users/{user['id']}/contact-methods"
    email = client.post(path, json={"type": "email", "address": user["email"], "label": "work"})
    assert email.status_code == 201, email.json
    hook = client.post(path, json={"type": "webhook", "address": "https://hooks.example.com/page"}).json
    client.post(path, json={"type": "log", "address": "alice's console"})
    listed = client.get(path).json
    assert [m["type"] for m in listed["items"]] == ["email", "webhook", "log"]
    assert [m["id"] for m in client.get(f"{path}?type=webhook").json["items"]] == [hook["id"]]

    method = f"{path}/{hook['id']}"
    assert client.get(method).json == hook
    changed = client.patch(method, json={"type": "slack", "address": "https://hooks.slack.com/services/T/B/X"}).json
    assert (changed["type"], changed["label"], changed["user_id"]) == ("slack", None, user["id"])
    assert client.delete(method).status_code == 204
    assert client.get(method).status_code == 404
    assert client.delete(method).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"type": "email", "address": "https://not.an/address"}, 422, "needs an e-mail address"),
        ({"type": "webhook", "address": "ftp://files.example.com/x"}, 422, "needs an http(s) URL"),
        ({"type": "slack", "address": "hooks.slack.com"}, 422, "needs an http(s) URL"),
        ({"type": "pigeon", "address": "x"}, 422, "Must be one of"),
        ({"type": "log"}, 422, "Missing"),
    ],
)
def test_bad_contact_methods_are_refused(client, make_user, sql, body, status, words):
    user = make_user()
    response = client.post(f"/api/v1/users/{user['id']}/contact-methods", json=body)
    assert response.status_code == status
    assert words in str(response.json["errors"])
    assert sql("SELECT count(*) FROM contact_methods") == [(0,)]


def test_contact_method_rules_hold_on_change_and_duplicates(client, make_user):
    user = make_user()
    path = f"/api/v1/users/{user['id']}/contact-methods"
    method = client.post(path, json={"type": "email", "address": "pager@example.com"}).json
    assert client.post(path, json={"type": "email", "address": "pager@example.com"}).status_code == 409
    refused = client.patch(f"{path}/{method['id']}", json={"type": "webhook"})
    assert (refused.status_code, refused.json["errors"]["json"]["address"]) == (
        422,
        ["A webhook contact method needs an http(s) URL as address."],
    )


def test_contact_methods_of_an_unknown_user_or_of_another_user(client, make_user):
    assert client.get(f"/api/v1/users/{UNKNOWN}/contact-methods").status_code == 404
    assert (
        client.post(f"/api/v1/users/{UNKNOWN}/contact-methods", json={"type": "log", "address": "x"}).status_code == 404
    )
    alice, bob = make_user(), make_user(name="Bob")
    method = client.post(f"/api/v1/users/{alice['id']}/contact-methods", json={"type": "log", "address": "x"}).json
    assert client.get(f"/api/v1/users/{bob['id']}/contact-methods/{method['id']}").status_code == 404


@pytest.mark.parametrize("value", [0, 1, "false", None])
def test_active_takes_json_booleans_only(client, make_user, value):
    user = make_user()
    response = client.patch(f"/api/v1/users/{user['id']}", json={"active": value})
    assert response.status_code == 422
    assert "active" in response.json["errors"]["json"]
