"""A user's ntfy contact method, end to end over real HTTP: saved (checked by Apprise), tested, verified by a
code, then paged by an alert with one-tap buttons; the ntfy acknowledge action acknowledges as that user once.

The fake ntfy server records each request exactly; the test then does what the ntfy app does when the
button is tapped (its http action: a POST to the action's URL).
"""

import json
import re

import pytest
import requests

import alert_ingestion
import incident_management
import oncall_service
from alert_ingestion.delivery import relay_outbox
from incident_management.paging import jobs as paging_jobs
from notification_service import create_app as create_notification_app
from tests.conftest import LOCAL_RECEIVERS
from tests.notification_service.fake_services import ntfy_answer

SCHEDULE = {
    "team": "payments",
    "rotation_type": "weekly",
    "members": [
        {"name": "Alice", "email": "alice@example.com", "role": "primary"},
        {"name": "Sam", "email": "sam@example.com", "role": "secondary"},
    ],
}


@pytest.fixture
def platform(make_app, live_server, log_file):
    notifications = make_app(
        create_notification_app, WEBHOOK_ALLOWED_HOSTS=LOCAL_RECEIVERS, NOTIFICATION_LOG_FILE=str(log_file)
    )
    urls = {"notifications": live_server(notifications)}
    oncall = make_app(oncall_service.create_app, NOTIFICATION_SERVICE_URL=urls["notifications"])
    urls["oncall"] = live_server(oncall)
    im = make_app(
        incident_management.create_app,
        ONCALL_SERVICE_URL=urls["oncall"],
        NOTIFICATION_SERVICE_URL=urls["notifications"],
        PAGING_CONTACT_METHODS=True,
        ACTION_LINK_SECRET="e2e-action-link-secret",  # pragma: allowlist secret
    )
    im.config["ACTION_LINK_BASE_URL"] = live_server(im)
    ingestion = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=im.config["ACTION_LINK_BASE_URL"])
    assert oncall.test_client().post("/api/v1/schedules", json=SCHEDULE).status_code == 201
    return {"ingestion": ingestion, "im": im, "oncall": oncall.test_client(), "notifications": notifications}


def alice(oncall):
    return oncall.get("/api/v1/users", query_string={"email": "alice@example.com"}).json["items"][0]["id"]


def test_an_apprise_contact_method_is_checked_by_apprise_when_saved(platform):
    oncall = platform["oncall"]
    user = alice(oncall)

    bad = oncall.post(f"/api/v1/users/{user}/contact-methods", json={"type": "apprise", "address": "bogus://x"})
    inside = oncall.post(
        f"/api/v1/users/{user}/contact-methods", json={"type": "apprise", "address": "ntfy://10.0.0.9/a"}
    )
    token = oncall.post(
        f"/api/v1/users/{user}/contact-methods",
        json={"type": "apprise", "address": "ntfys://tk_secret123456@ntfy.example.com/alice?auth=token"},
    )

    assert (
        bad.status_code == 422
        and "bogus:// is not a supported Apprise service" in bad.json["errors"]["json"]["address"][0]
    )
    assert inside.status_code == 422 and "private address" in inside.json["errors"]["json"]["address"][0]
    assert token.status_code == 201, token.json
    assert token.json["address"] == "ntfys://****@ntfy.example.com/alice?auth=token"
    assert token.json["verified"] is False
    listed = oncall.get(f"/api/v1/users/{user}/contact-methods").json["items"]
    assert "tk_secret123456" not in json.dumps(listed)


def test_alice_tests_verifies_and_is_paged_on_ntfy_and_acknowledges_with_one_tap(platform, fake_service):
    oncall, im = platform["oncall"], platform["im"]
    ntfy = fake_service(ntfy_answer)
    user = alice(oncall)
    added = oncall.post(
        f"/api/v1/users/{user}/contact-methods",
        json={"type": "apprise", "address": f"ntfy://127.0.0.1:{ntfy.port}/oncall-alice", "label": "phone"},
    )
    assert added.status_code == 201, added.json
    method = f"/api/v1/users/{user}/contact-methods/{added.json['id']}"

    tested = oncall.post(f"{method}/test")
    assert tested.status_code == 200 and tested.json["delivery"] == "sent"
    assert "test message" in json.loads(ntfy.requests[-1]["body"])["message"]

    # Paging skips the method until the code sent to it comes back.
    sent = oncall.post(f"{method}/verification")
    assert sent.status_code == 202 and sent.json["delivery"] == "sent"
    code = re.search(r"code: ([0-9]{6})", json.loads(ntfy.requests[-1]["body"])["message"]).group(1)
    wrong = oncall.post(f"{method}/verification/confirm", json={"code": "000000" if code != "000000" else "111111"})
    right = oncall.post(f"{method}/verification/confirm", json={"code": code})
    assert wrong.status_code == 422 and list(wrong.json["errors"]["json"]) == ["code"]
    assert right.status_code == 200 and right.json["verified"] is True
    before_page = len(ntfy.requests)

    alert = {"service": "checkout", "severity": "critical", "message": "5xx above 5%", "labels": {"team": "payments"}}
    assert platform["ingestion"].test_client().post("/api/v1/alerts", json=alert).status_code in (201, 202)
    relay_outbox(platform["ingestion"])
    assert paging_jobs.run_due(im) == 1

    [page] = ntfy.requests[before_page:]
    assert page["headers"]["X-Priority"] == "max"
    assert json.loads(page["body"])["topic"] == "oncall-alice"
    buttons = [button.strip() for button in page["headers"]["X-Actions"].split(";")]
    assert [button.split(",")[0] for button in buttons] == ["http", "http", "view"]
    acknowledge = next(button for button in buttons if button.startswith("http, Acknowledge, "))
    _kind, _label, url, method_option, _clear = (part.strip() for part in acknowledge.split(","))
    assert method_option == "method=POST"

    tapped = requests.post(url, timeout=10)  # what the ntfy app does when Alice taps Acknowledge
    again = requests.post(url, timeout=10)

    incident = im.test_client().get("/api/v1/incidents").json["items"][0]
    detail = im.test_client().get(f"/api/v1/incidents/{incident['id']}").json
    assert tapped.status_code == 200 and "Acknowledged as Alice" in tapped.text
    assert detail["status"] == "acknowledged"
    [notified] = [event for event in detail["timeline"] if event["event_type"] == "notified"]
    assert (notified["detail"]["channel"], notified["detail"]["delivery"]) == ("apprise", "sent")
    [acked] = [event for event in detail["timeline"] if event["event_type"] == "acknowledged"]
    assert (acked["actor"], acked["detail"]["via"]) == ("alice@example.com", "action link")
    assert again.status_code == 409 and "This link was already used" in again.text

    # Alice's profile: every delivery to her, with its status, whatever the contact method.
    profile = platform["notifications"].test_client().get("/api/v1/notifications?person=ALICE@example.com").json
    assert [(item["kind"], item["channel"], item["status"]) for item in profile["items"]] == [
        ("incident", "apprise", "sent"),
        ("verification", "apprise", "sent"),
        ("test", "apprise", "sent"),
    ]
    assert all(item["recipient"] == f"ntfy://127.0.0.1:{ntfy.port}/oncall-alice" for item in profile["items"])
