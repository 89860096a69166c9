"""`/api/v1/webhook-subscriptions`: create, list, change, rotate, delete; bad input is a 4xx naming the field."""

import pytest

from tests.webhooks.conftest import SUBSCRIPTIONS

URL = "http://127.0.0.1:9/hooks"


def test_create_shows_the_secret_once(client, sql):
    created = client.post(SUBSCRIPTIONS, json={"team": "payments", "url": URL, "event_types": ["incident.resolved"]})
    assert created.status_code == 201, created.json
    body = created.json
    assert body["secret"].startswith("whsec_")
    assert (body["team"], body["url"], body["event_types"], body["enabled"]) == (
        "payments",
        URL,
        ["incident.resolved"],
        True,
    )
    read = client.get(f"{SUBSCRIPTIONS}/{body['id']}")
    assert read.status_code == 200 and "secret" not in read.json
    listed = client.get(SUBSCRIPTIONS, query_string={"team": "payments"}).json
    assert listed["total"] == 1 and "secret" not in listed["items"][0]
    assert client.get(SUBSCRIPTIONS, query_string={"team": "other"}).json["total"] == 0
    assert sql("SELECT secret FROM webhook_subscriptions")[0][0] == body["secret"]


def test_every_event_by_default_each_once_in_lifecycle_order(client):
    default = client.post(SUBSCRIPTIONS, json={"team": "payments", "url": URL}).json
    assert default["event_types"] == [
        "incident.opened",
        "incident.acknowledged",
        "incident.escalated",
        "incident.resolved",
        "incident.note_added",
    ]
    events = ["incident.resolved", "incident.opened", "incident.resolved"]
    twice = client.post(SUBSCRIPTIONS, json={"team": "payments", "url": URL, "event_types": events}).json
    assert twice["event_types"] == ["incident.opened", "incident.resolved"]


def test_change_rotate_and_delete(client, subscribe):
    created = subscribe(URL)
    path = f"{SUBSCRIPTIONS}/{created['id']}"
    changed = client.patch(path, json={"enabled": False, "service": "checkout"})
    assert changed.status_code == 200, changed.json
    assert (changed.json["enabled"], changed.json["service"], changed.json["url"]) == (False, "checkout", URL)
    rotated = client.post(f"{path}/rotate-secret")
    assert rotated.status_code == 200 and rotated.json["secret"] not in ("", created["secret"])
    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404
    assert client.delete(path).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": URL}, "team"),
        ({"team": "payments"}, "url"),
        ({"team": "payments", "url": URL, "event_types": ["incident.deleted"]}, "event_types"),
        ({"team": "payments", "url": URL, "event_types": []}, "event_types"),
        ({"team": "payments", "url": URL, "enabled": "maybe"}, "enabled"),
        ({"team": "payments", "url": URL, "enabled": 0}, "enabled"),
        ({"team": "", "url": URL}, "team"),
    ],
)
def test_bad_fields_are_422_naming_the_field(client, body, field):
    response = client.post(SUBSCRIPTIONS, json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/hook", "only http and https"),
        ("not a url", "only http and https"),
        ("http://user:pw@example.com/", "credentials"),  # pragma: allowlist secret
        ("http://10.1.2.3/hook", "private"),
        ("http://169.254.169.254/latest/meta-data", "metadata"),
        ("http://[::1]:8002/", "loopback"),
        ("http://2130706433/", "canonical"),
    ],
)
def test_urls_the_ssrf_rules_refuse_are_422(client, url, reason):
    response = client.post(SUBSCRIPTIONS, json={"team": "payments", "url": url})
    assert response.status_code == 422, response.json
    assert reason in response.json["errors"]["json"]["url"][0]
    assert client.get(SUBSCRIPTIONS).json["total"] == 0


def test_a_change_to_a_refused_url_is_422_and_changes_nothing(client, subscribe):
    created = subscribe(URL)
    path = f"{SUBSCRIPTIONS}/{created['id']}"
    refused = client.patch(path, json={"url": "http://192.168.1.1/"})
    assert refused.status_code == 422 and "private" in refused.json["message"]
    assert client.get(path).json["url"] == URL


def test_loopback_is_refused_without_the_allow_list(make_incidents):
    client = make_incidents(WEBHOOK_ALLOWED_HOSTS="").test_client()
    response = client.post(SUBSCRIPTIONS, json={"team": "payments", "url": URL})
    assert response.status_code == 422 and "WEBHOOK_ALLOWED_HOSTS" in response.json["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/not-a-uuid"),
        ("patch", "/not-a-uuid"),
        ("delete", "/not-a-uuid"),
        ("post", "/not-a-uuid/test"),
        ("get", "/not-a-uuid/deliveries"),
    ],
)
def test_malformed_ids_are_400(client, method, path):
    kwargs = {"json": {"enabled": True}} if method == "patch" else {}
    response = getattr(client, method)(SUBSCRIPTIONS + path, **kwargs)
    assert response.status_code == 400 and "subscription_id" in response.json["message"]


def test_unknown_ids_are_404(client):
    unknown = f"{SUBSCRIPTIONS}/00000000-0000-4000-8000-000000000000"
    assert client.get(unknown).status_code == 404
    assert client.patch(unknown, json={"enabled": False}).status_code == 404
    assert client.post(f"{unknown}/test").status_code == 404
    assert client.post(f"{unknown}/rotate-secret").status_code == 404
    assert client.get(f"{unknown}/deliveries").status_code == 404


def test_an_empty_change_is_422(client, subscribe):
    created = subscribe(URL)
    assert client.patch(f"{SUBSCRIPTIONS}/{created['id']}", json={}).status_code == 422


def test_the_audit_trail_names_each_change_and_never_the_secret(client, subscribe):
    created = subscribe(URL)
    path = f"{SUBSCRIPTIONS}/{created['id']}"
    client.patch(path, json={"enabled": False})
    rotated = client.post(f"{path}/rotate-secret").json
    client.delete(path)
    trail = client.get("/api/v1/audit/incidents", query_string={"record_id": created["id"]})
    assert trail.status_code == 200, trail.json
    records = trail.json["items"]
    assert sorted(r["action"] for r in records) == ["create", "delete", "update", "update"]
    assert {r["record_type"] for r in records} == {"webhook_subscriptions"}
    text = str(records)
    assert created["secret"] not in text and rotated["secret"] not in text and "'secret'" not in text
