"""One-tap action links: signed, expiring, bound to incident + person + action, acting once as that person."""

import concurrent.futures
import time

import pytest
import requests

import incident_management
from incident_management.actions import links

SECRET = "test-action-link-secret"  # pragma: allowlist secret
SETTINGS = {
    "ACTION_LINK_SECRET": SECRET,
    "ACTION_LINK_BASE_URL": "http://gateway.example.test",
    "ACTION_LINK_INCIDENT_URL": "http://gateway.example.test/incidents/{incident_id}",
}


# --- the token, no database ------------------------------------------------------------------------


def test_a_token_says_who_may_do_what_to_which_incident():
    token = links.sign(SECRET, "7d3c", "alice@example.com", "Alice", "acknowledge")

    link = links.read(SECRET, token, 60)

    assert (link.incident_id, link.email, link.name, link.action) == (
        "7d3c",
        "alice@example.com",
        "Alice",
        "acknowledge",
    )
    assert link.nonce and link.nonce != links.read(SECRET, links.sign(SECRET, "7d3c", "a", "", "resolve"), 60).nonce


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),  # the signature changed
        lambda token: links.sign("another-secret", "7d3c", "alice@example.com", "Alice", "acknowledge"),
        lambda token: "not-a-token",
    ],
)
def test_a_changed_or_foreign_token_is_not_a_link(change):
    token = links.sign(SECRET, "7d3c", "alice@example.com", "Alice", "acknowledge")

    with pytest.raises(links.BadLink):
        links.read(SECRET, change(token), 60)


def test_an_old_token_has_expired():
    token = links.sign(SECRET, "7d3c", "alice@example.com", "Alice", "resolve")
    time.sleep(1.1)  # signatures carry whole seconds

    with pytest.raises(links.ExpiredLink):
        links.read(SECRET, token, 0)


def test_no_links_without_a_secret_and_a_base_url():
    assert links.links_for({"ACTION_LINK_BASE_URL": "http://x"}, "7d3c", "a@example.com", "A", ["open"]) == []
    assert links.links_for({"ACTION_LINK_SECRET": SECRET}, "7d3c", "a@example.com", "A", ["open"]) == []
    [made] = links.links_for(SETTINGS, "7d3c", "a@example.com", "A", ["acknowledge"])
    assert made["url"].startswith("http://gateway.example.test/api/v1/incidents/actions/")
    assert (made["action"], made["label"]) == ("acknowledge", "Acknowledge")


# --- following a link --------------------------------------------------------------------------------


@pytest.fixture
def im(make_app):
    return make_app(incident_management.create_app, **SETTINGS)


@pytest.fixture
def incident(im):
    body = {"title": "Checkout 5xx", "service": "checkout", "severity": "high", "assigned_to": "Alice"}
    response = im.test_client().post("/api/v1/incidents", json=body)
    assert response.status_code == 201, response.json
    return response.json


def path_of(incident, action, email="alice@example.com", name="Alice", secret=SECRET):
    return links.PATH + links.sign(secret, incident["id"], email, name, action)


def timeline(im, incident):
    return im.test_client().get(f"/api/v1/incidents/{incident['id']}").json["timeline"]


def test_opening_an_acknowledge_link_asks_first_and_changes_nothing(im, incident):
    page = im.test_client().get(path_of(incident, "acknowledge"))

    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    text = page.get_data(as_text=True)
    assert "Acknowledge this incident?" in text and '<form method="post">' in text
    assert "as Alice (alice@example.com)" in text and "Checkout 5xx" in text
    assert f"/incidents/{incident['id']}" in text
    assert im.test_client().get(f"/api/v1/incidents/{incident['id']}").json["status"] == "open"


def test_following_an_acknowledge_link_acknowledges_as_its_person_once(im, incident):
    client, path = im.test_client(), path_of(incident, "acknowledge")

    first = client.post(path)
    second = client.post(path)

    assert first.status_code == 200
    assert "Incident acknowledged" in first.get_data(as_text=True)
    assert "Acknowledged as Alice" in first.get_data(as_text=True)
    detail = client.get(f"/api/v1/incidents/{incident['id']}").json
    assert detail["status"] == "acknowledged" and detail["mtta_seconds"] is not None
    [event] = [event for event in detail["timeline"] if event["event_type"] == "acknowledged"]
    assert event["actor"] == "alice@example.com" and event["detail"]["via"] == "action link"
    assert second.status_code == 409
    assert "This link was already used" in second.get_data(as_text=True)
    assert "changes nothing" in second.get_data(as_text=True)
    assert len([e for e in timeline(im, incident) if e["event_type"] == "acknowledged"]) == 1
    assert client.get(path).status_code == 409  # a used link's page says so too


def test_a_resolve_link_resolves_and_an_acknowledge_link_after_it_is_stale(im, incident):
    client = im.test_client()
    acknowledge = path_of(incident, "acknowledge")

    resolved = client.post(path_of(incident, "resolve", email="sam@example.com", name="Sam"))
    stale_page = client.get(acknowledge)
    stale = client.post(acknowledge)

    assert resolved.status_code == 200 and "Resolved as Sam" in resolved.get_data(as_text=True)
    detail = client.get(f"/api/v1/incidents/{incident['id']}").json
    assert detail["status"] == "resolved" and detail["resolved_by"] == "sam@example.com"
    for page in (stale_page, stale):
        assert page.status_code == 409
        assert "Nothing to do: the incident is already resolved" in page.get_data(as_text=True)
    assert "<form" not in stale_page.get_data(as_text=True)


def test_an_expired_or_forged_link_lands_on_a_page_that_says_so(make_app, incident):
    quick = make_app(incident_management.create_app, **SETTINGS, ACTION_LINK_MAX_AGE_SECONDS=0)
    old = path_of(incident, "acknowledge")
    time.sleep(1.1)

    expired = quick.test_client().post(old)
    forged = quick.test_client().post(path_of(incident, "acknowledge", secret="guessed"))
    unset = make_app(incident_management.create_app).test_client().post(path_of(incident, "acknowledge"))

    assert expired.status_code == 410 and "This link has expired" in expired.get_data(as_text=True)
    assert forged.status_code == 404 and "Not a valid link" in forged.get_data(as_text=True)
    assert unset.status_code == 404  # no ACTION_LINK_SECRET: no link holds
    assert quick.test_client().get(f"/api/v1/incidents/{incident['id']}").json["status"] == "open"


def test_an_open_link_shows_the_incident_and_acts_never(im, incident):
    page = im.test_client().post(path_of(incident, "open"))

    assert page.status_code == 200
    assert "Checkout 5xx" in page.get_data(as_text=True) and "<form" not in page.get_data(as_text=True)
    assert im.test_client().get(f"/api/v1/incidents/{incident['id']}").json["status"] == "open"


def test_two_taps_at_once_act_once(im, incident, live_server):
    url = live_server(im) + path_of(incident, "acknowledge")

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(lambda _n: requests.post(url, timeout=10).status_code, range(6)))

    assert statuses == [200, 409, 409, 409, 409, 409]
    assert len([e for e in timeline(im, incident) if e["event_type"] == "acknowledged"]) == 1
