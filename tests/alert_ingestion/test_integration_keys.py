"""The admin resource of integration keys: shown once, stored as a digest, listed, changed and revoked."""

import hashlib
import uuid

import pytest

from tests.alert_ingestion.conftest import KEYS


@pytest.fixture
def client(make_ingestion):
    return make_ingestion().test_client()


def test_a_key_is_shown_once_and_stored_only_as_its_digest(client, make_key, sql):
    created = make_key(client, service="payments", team="platform-engineering", created_by="alice@example.com")
    key = created["key"]
    assert key.startswith("ipk_")
    assert len(key) >= 40
    assert created["prefix"] == key[:10]
    assert (created["name"], created["source"], created["service"], created["team"]) == (
        "prometheus-prod",
        "alertmanager",
        "payments",
        "platform-engineering",
    )
    assert (created["created_by"], created["revoked_at"], created["last_alert_at"]) == ("alice@example.com", None, None)
    [(digest,)] = sql("SELECT key_digest FROM integration_keys")
    assert bytes(digest) == hashlib.sha256(key.encode()).digest()
    assert not sql(
        "SELECT 1 FROM integration_keys WHERE position(%s in row_to_json(integration_keys)::text) > 0", (key,)
    )

    read = client.get(f"{KEYS}/{created['id']}").json
    listed = client.get(KEYS).json
    assert "key" not in read
    assert listed["total"] == 1
    assert "key" not in listed["items"][0]
    assert read == listed["items"][0] == {k: v for k, v in created.items() if k != "key"}


def test_two_keys_are_different_and_listed_newest_first(client, make_key):
    first, second = make_key(client, name="a"), make_key(client, name="b")
    assert first["key"] != second["key"]
    assert [item["name"] for item in client.get(KEYS).json["items"]] == ["b", "a"]


def test_source_defaults_to_api_and_service_and_team_are_optional(client):
    created = client.post(KEYS, json={"name": "cron backup check"}).json
    assert (created["source"], created["service"], created["team"]) == ("api", None, None)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"name"}),
        ({"name": ""}, {"name"}),
        ({"name": "x" * 201}, {"name"}),
        ({"name": "a", "source": ""}, {"source"}),
        ({"name": "a", "service": ""}, {"service"}),
        ({"name": "a", "team": 3}, {"team"}),
        ({"name": "a", "key": "ipk_mine"}, {"key"}),
    ],
)
def test_bad_key_requests_are_422_naming_the_field(client, sql, body, fields):
    response = client.post(KEYS, json=body)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == fields
    assert sql("SELECT count(*) FROM integration_keys") == [(0,)]


def test_change_what_a_key_names(client, make_key):
    created = make_key(client, service="payments", team="platform")
    changed = client.patch(f"{KEYS}/{created['id']}", json={"name": "renamed", "service": None})
    assert changed.status_code == 200
    assert (changed.json["name"], changed.json["service"], changed.json["team"]) == ("renamed", None, "platform")
    assert client.patch(f"{KEYS}/{created['id']}", json={}).status_code == 422


def test_revoke_is_idempotent_and_a_revoked_key_cannot_be_changed(client, make_key):
    created = make_key(client)
    revoked = client.post(f"{KEYS}/{created['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json["revoked_at"] is not None
    again = client.post(f"{KEYS}/{created['id']}/revoke")
    assert again.json["revoked_at"] == revoked.json["revoked_at"]
    change = client.patch(f"{KEYS}/{created['id']}", json={"name": "x"})
    assert change.status_code == 409
    assert "revoked" in change.json["message"]
    assert client.get(f"{KEYS}?revoked=true").json["total"] == 1
    assert client.get(f"{KEYS}?revoked=false").json["total"] == 0


@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("patch", ""), ("post", "/revoke")])
def test_unknown_and_malformed_key_ids(client, method, suffix):
    unknown = getattr(client, method)(f"{KEYS}/{uuid.uuid4()}{suffix}", json={"name": "x"})
    assert unknown.status_code == 404
    assert "not found" in unknown.json["message"]
    malformed = getattr(client, method)(f"{KEYS}/12345{suffix}", json={"name": "x"})
    assert malformed.status_code == 400
    assert malformed.json["errors"] == {"key_id": ["Not a valid UUID."]}
