"""The apprise channel with the real Apprise library, delivering to local fakes that check each exact request."""

import base64
import json

import pytest

from notification_service import create_app
from notification_service.delivery import relay_pending
from tests.notification_service.conftest import point_at
from tests.notification_service.fake_services import accepted, ntfy_answer, twilio_answer

# Twilio's shapes (AC + hex, letters and digits), not real values; the URL form keeps them out of the userinfo.
SID, TOKEN = "AC" + "0" * 32, "testtoken"
TWILIO = f"twilio://+15551234567/+15557654321?sid={SID}&token={TOKEN}"
PUSHOVER_USER, PUSHOVER_TOKEN = "u" * 30, "t" * 30


def notify(client, incident_id, recipient, **fields):
    body = {"incident_id": incident_id, "channel": "apprise", "recipient": recipient, "message": "db down"}
    return client.post("/api/v1/notify", json={**body, "subject": "P1: db", **fields})


def test_ntfy_gets_the_page_as_ntfy_json_with_its_token_and_urgent_priority(client, incident_id, fake_service):
    ntfy = fake_service(ntfy_answer)

    response = notify(client, incident_id, f"ntfy://tk_secret123456@127.0.0.1:{ntfy.port}/oncall-alice?auth=token")

    assert response.status_code == 201, response.json
    assert response.json["status"] == "sent" and response.json["urgency"] == "high"
    [request] = ntfy.requests
    assert (request["method"], request["path"], request["query"]) == ("POST", "/", {})
    assert request["headers"]["Authorization"] == "Bearer tk_secret123456"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["X-Priority"] == "max"  # ntfy's "urgent": a long vibration and a pop-over
    assert json.loads(request["body"]) == {"topic": "oncall-alice", "title": "P1: db", "message": "db down"}
    assert response.json["recipient"] == f"ntfy://****@127.0.0.1:{ntfy.port}/oncall-alice?auth=token"


def test_a_low_urgency_page_is_quiet_on_ntfy_and_a_priority_in_the_url_wins(client, incident_id, fake_service):
    ntfy = fake_service(ntfy_answer)

    low = notify(client, incident_id, f"ntfy://127.0.0.1:{ntfy.port}/ops", urgency="low")
    chosen = notify(client, incident_id, f"ntfy://127.0.0.1:{ntfy.port}/ops?priority=high", urgency="low")

    assert low.status_code == chosen.status_code == 201
    assert [request["headers"]["X-Priority"] for request in ntfy.requests] == ["low", "high"]
    assert "Authorization" not in ntfy.requests[0]["headers"]


def test_pushover_pages_are_emergencies_when_urgent_and_quiet_when_not(app, client, incident_id, fake_service):
    pushover = fake_service(lambda _request: (200, {"status": 1, "request": "5042853c-402d"}), tls=True)
    point_at(app, {("api.pushover.net", 443): ("127.0.0.1", pushover.port)})
    url = f"pover://{PUSHOVER_USER}@{PUSHOVER_TOKEN}"

    assert notify(client, incident_id, url).status_code == 201
    assert notify(client, incident_id, url, urgency="low").status_code == 201

    urgent, quiet = (request["form"] for request in pushover.requests)
    assert pushover.requests[0]["path"] == "/1/messages.json"
    assert urgent["token"] == PUSHOVER_TOKEN and urgent["user"] == PUSHOVER_USER
    assert urgent["priority"] == "2" and int(urgent["retry"]) >= 30 and int(urgent["expire"]) > 0
    assert (urgent["title"], urgent["message"]) == ("P1: db", "db down")
    assert quiet["priority"] == "-1" and "retry" not in quiet


def test_teams_workflows_get_an_adaptive_card_on_the_trigger_url(client, incident_id, fake_service):
    teams = fake_service(accepted, tls=True)

    response = notify(client, incident_id, f"workflows://127.0.0.1:{teams.port}/WorkflowId/SIGNATURE")

    assert response.status_code == 201, response.json
    [request] = teams.requests
    assert request["path"] == "/workflows/WorkflowId/triggers/manual/paths/invoke"
    assert request["query"] == {
        "api-version": "2016-06-01",
        "sp": "/triggers/manual/run",
        "sv": "1.0",
        "sig": "SIGNATURE",
    }
    assert request["headers"]["Content-Type"] == "application/json"
    card = json.loads(request["body"])
    assert card["type"] == "message"
    [attachment] = card["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"]["type"] == "AdaptiveCard"
    assert [(block["type"], block["text"]) for block in attachment["content"]["body"]] == [
        ("TextBlock", "P1: db"),
        ("TextBlock", "db down"),
    ]
    assert response.json["recipient"] == f"workflows://127.0.0.1:{teams.port}/****/****"


def test_twilio_sms_posts_the_message_form_with_basic_auth(app, client, incident_id, fake_service):
    twilio = fake_service(twilio_answer, tls=True)
    point_at(app, {("api.twilio.com", 443): ("127.0.0.1", twilio.port)})

    response = notify(client, incident_id, TWILIO)

    assert response.status_code == 201, response.json
    [request] = twilio.requests
    assert request["headers"]["Host"] == "api.twilio.com"  # TLS and Host stay the vendor's; only the socket moved
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["headers"]["Authorization"] == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert request["form"] == {"To": "+15557654321", "From": "+15551234567", "Body": "P1: db\r\ndb down"}
    assert response.json["recipient"] == "twilio://+15551234567/+15557654321?sid=****&token=****"
    listed = client.get("/api/v1/notifications", query_string={"channel": "apprise"}).json["items"]
    assert [item["recipient"] for item in listed] == [response.json["recipient"]]


def test_a_refusal_fails_for_good_with_apprises_reason_and_no_secret(client, incident_id, fake_service):
    ntfy = fake_service(lambda _request: (401, {"code": 40101, "http": 401, "error": "unauthorized"}))

    response = notify(client, incident_id, f"ntfy://tk_secret123456@127.0.0.1:{ntfy.port}/ops?auth=token")

    assert response.status_code == 202
    assert response.json["status"] == "failed" and response.json["attempts"] == 1
    assert response.json["last_error"].startswith("ntfy did not take it: ")
    assert "unauthorized" in response.json["last_error"]
    assert "tk_secret123456" not in json.dumps(response.json)


def test_a_service_that_is_down_is_retried_by_the_relay(app, client, incident_id, fake_service):
    answers = iter([(503, {"error": "maintenance"}), (200, {"id": "x", "event": "message"})])
    ntfy = fake_service(lambda _request: next(answers))

    first = notify(client, incident_id, f"ntfy://127.0.0.1:{ntfy.port}/ops")
    assert first.status_code == 202 and first.json["status"] == "pending"

    assert relay_pending(app, limit=5) == 1
    assert client.get(f"/api/v1/notifications/{first.json['id']}").json["status"] == "sent"
    assert len(ntfy.requests) == 2


# --- SSRF: the rules of webhooks, on the host each plugin connects to ------------------------------


def test_a_self_hosted_service_on_an_internal_address_is_refused_when_asked(client, incident_id, sql):
    response = notify(client, incident_id, "ntfy://10.1.2.3/ops")

    assert response.status_code == 422
    assert "private address" in response.json["errors"]["json"]["recipient"][0]
    assert sql("SELECT count(*) FROM notifications")[0][0] == 0


def test_a_name_that_resolves_inside_at_send_time_is_refused_and_never_called(make_app, incident_id, fake_service):
    app = make_app(create_app, NOTIFICATION_MAX_ATTEMPTS=3)  # no allow-list: 127.0.0.1 is internal
    twilio = fake_service(twilio_answer, tls=True)
    point_at(app, {("api.twilio.com", 443): ("127.0.0.1", twilio.port)})

    response = notify(app.test_client(), incident_id, TWILIO)

    assert response.status_code == 202
    assert response.json["status"] == "failed"  # the allow-list will not change on retry
    assert response.json["last_error"] == (
        "destination refused: api.twilio.com resolves to 127.0.0.1, which is a loopback address; "
        "set WEBHOOK_ALLOWED_HOSTS to allow it"
    )
    assert twilio.requests == []


def test_a_redirect_to_an_address_that_is_not_allowed_is_not_followed(client, incident_id, fake_service):
    inside = "http://127.0.0.2:9/"  # loopback, but outside the tests' allow-list (127.0.0.1)
    ntfy = fake_service(lambda _request: (307, {"Location": inside}))

    response = notify(client, incident_id, f"ntfy://127.0.0.1:{ntfy.port}/ops")

    assert response.json["status"] == "failed"
    assert response.json["last_error"].startswith("destination refused: 127.0.0.2 is a loopback address")
    assert len(ntfy.requests) == 1


@pytest.mark.parametrize(
    ("recipient", "reason"),
    [
        ("alice@example.com", "is not a supported Apprise service"),
        ("mailto://alice@example.com", "mailto:// is not a supported Apprise service"),
        ("bogus://x", "bogus:// is not a supported Apprise service"),
        ("twilio://AC1:x@+1", "not a valid Twilio SMS URL"),
        ("ntfy://127.0.0.1/ops?template=/etc/passwd", "the option template= is not allowed"),
        ("workflows://127.0.0.1/?attach=file:///etc/passwd", "the option attach= is not allowed"),
    ],
)
def test_a_recipient_apprise_cannot_take_is_a_422_naming_it(client, incident_id, sql, recipient, reason):
    response = notify(client, incident_id, recipient)

    assert response.status_code == 422, response.json
    [message] = response.json["errors"]["json"]["recipient"]
    assert message.startswith("Channel apprise needs an Apprise URL as recipient: ") and reason in message
    assert sql("SELECT count(*) FROM notifications")[0][0] == 0


def test_urgency_is_high_or_low(client, incident_id):
    response = notify(client, incident_id, "ntfy://ntfy.example.com/ops", urgency="critical")

    assert response.status_code == 422
    assert list(response.json["errors"]["json"]) == ["urgency"]
