"""End to end, every service over real HTTP: an alert pages the on-call person, whose page carries one-tap links.

Alert ingestion -> incident management (incident, paging job) -> on-call service (who is on call) ->
notification service -> a local SMTP server; the acknowledge link from the mail then acknowledges the
incident as that person, once. The paging worker and the outbox relay are driven by hand.
"""

import email
import re

import pytest
import requests

import alert_ingestion
import incident_management
import oncall_service
from alert_ingestion.delivery import relay_outbox
from incident_management.paging import jobs as paging_jobs
from notification_service import create_app as create_notification_app

SCHEDULE = {
    "team": "payments",
    "rotation_type": "weekly",
    "members": [
        {"name": "Alice", "email": "alice@example.com", "role": "primary"},
        {"name": "Sam", "email": "sam@example.com", "role": "secondary"},
    ],
}


@pytest.fixture
def platform(make_app, live_server, smtp_server, log_file):
    """The four services on live ports, pages by e-mail to a local SMTP server; returns their apps and mailbox."""
    controller, mailbox = smtp_server()
    notifications = make_app(
        create_notification_app, SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, NOTIFICATION_LOG_FILE=str(log_file)
    )
    oncall = make_app(oncall_service.create_app)
    urls = {"notifications": live_server(notifications), "oncall": live_server(oncall)}
    im = make_app(
        incident_management.create_app,
        ONCALL_SERVICE_URL=urls["oncall"],
        NOTIFICATION_SERVICE_URL=urls["notifications"],
        PAGING_CHANNEL="email",
        ACTION_LINK_SECRET="e2e-action-link-secret",  # pragma: allowlist secret
    )
    im.config["ACTION_LINK_BASE_URL"] = live_server(im)  # the links point at incident management itself
    ingestion = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=im.config["ACTION_LINK_BASE_URL"])
    assert oncall.test_client().post("/api/v1/schedules", json=SCHEDULE).status_code == 201
    return {"ingestion": ingestion, "im": im, "mailbox": mailbox}


def page_by_alert(platform):
    """An alert for the payments team, carried through to the page; returns (incident id, the mail)."""
    alert = {"service": "checkout", "severity": "critical", "message": "5xx above 5%", "labels": {"team": "payments"}}
    assert platform["ingestion"].test_client().post("/api/v1/alerts", json=alert).status_code in (201, 202)
    relay_outbox(platform["ingestion"])
    assert paging_jobs.run_due(platform["im"]) == 1
    [mail] = platform["mailbox"].messages
    incidents = platform["im"].test_client().get("/api/v1/incidents").json["items"]
    return incidents[0]["id"], email.message_from_string(mail["data"], policy=email.policy.default)


def test_an_alert_pages_alice_and_her_acknowledge_button_acknowledges_as_her_once(platform):
    incident_id, mail = page_by_alert(platform)

    assert mail["To"] == "alice@example.com"
    text = mail.get_body("plain").get_content().replace("\r\n", "\n")
    acknowledge = re.search(r"^Acknowledge: (\S+)$", text, re.MULTILINE).group(1)
    assert re.search(r"^Resolve: \S+$", text, re.MULTILINE) and re.search(r"^Open: \S+$", text, re.MULTILINE)
    assert f'href="{acknowledge}"' in mail.get_body("html").get_content()

    page = requests.get(acknowledge, timeout=10)  # what a tap in the mail opens: it asks first
    assert page.status_code == 200 and "Acknowledge this incident?" in page.text
    tapped = requests.post(acknowledge, timeout=10)  # the page's button
    again = requests.post(acknowledge, timeout=10)

    assert tapped.status_code == 200 and "Acknowledged as Alice" in tapped.text
    incident = platform["im"].test_client().get(f"/api/v1/incidents/{incident_id}").json
    assert incident["status"] == "acknowledged"
    [acked] = [event for event in incident["timeline"] if event["event_type"] == "acknowledged"]
    assert (acked["actor"], acked["detail"]["via"]) == ("alice@example.com", "action link")
    assert again.status_code == 409 and "This link was already used" in again.text
    timeline = platform["im"].test_client().get(f"/api/v1/incidents/{incident_id}").json["timeline"]
    assert [event["event_type"] for event in timeline].count("acknowledged") == 1
