"""Action links become buttons where the channel has them (ntfy, Teams, e-mail, Slack), else text; never shown."""

import email
import json

from tests.notification_service.fake_services import accepted, ntfy_answer

BASE = "https://oncall.example.com/api/v1/incidents/actions/"
ACTIONS = [
    {"action": "acknowledge", "label": "Acknowledge", "url": BASE + "tokenA"},
    {"action": "resolve", "label": "Resolve", "url": BASE + "tokenR"},
    {"action": "open", "label": "Open", "url": BASE + "tokenO"},
]


def notify(client, incident_id, channel, recipient, **fields):
    body = {"incident_id": incident_id, "channel": channel, "recipient": recipient, "message": "db down"}
    return client.post("/api/v1/notify", json={**body, "subject": "P1: db", "actions": ACTIONS, **fields})


def test_ntfy_gets_one_tap_http_buttons_and_a_view_button(client, incident_id, fake_service):
    ntfy = fake_service(ntfy_answer)

    response = notify(client, incident_id, "apprise", f"ntfy://127.0.0.1:{ntfy.port}/oncall-alice")

    assert response.status_code == 201, response.json
    [request] = ntfy.requests
    assert request["headers"]["X-Actions"] == (
        f"http, Acknowledge, {BASE}tokenA, method=POST, clear=true; "
        f"http, Resolve, {BASE}tokenR, method=POST, clear=true; "
        f"view, Open, {BASE}tokenO"
    )
    assert json.loads(request["body"])["message"] == "db down"  # the links are buttons, not text


def test_teams_gets_an_adaptive_card_with_open_url_buttons(client, incident_id, fake_service):
    teams = fake_service(accepted, tls=True)

    response = notify(client, incident_id, "apprise", f"workflows://127.0.0.1:{teams.port}/WorkflowId/SIGNATURE")

    assert response.status_code == 201, response.json
    [attachment] = json.loads(teams.requests[0]["body"])["attachments"]
    card = attachment["content"]
    assert [block["text"] for block in card["body"]] == ["P1: db", "db down"]
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "Acknowledge", "url": BASE + "tokenA"},
        {"type": "Action.OpenUrl", "title": "Resolve", "url": BASE + "tokenR"},
        {"type": "Action.OpenUrl", "title": "Open", "url": BASE + "tokenO"},
    ]


def test_a_service_without_buttons_gets_the_links_as_text(app, client, incident_id, fake_service):
    gotify = fake_service(lambda _request: (200, {"id": 1}))

    response = notify(client, incident_id, "apprise", f"gotify://127.0.0.1:{gotify.port}/AppToken")

    assert response.status_code == 201, response.json
    message = json.loads(gotify.requests[0]["body"])["message"]
    assert message == f"db down\n\nAcknowledge: {BASE}tokenA\nResolve: {BASE}tokenR\nOpen: {BASE}tokenO"


def test_an_email_has_buttons_in_html_and_the_links_in_plain_text(make_app, smtp_server, incident_id, log_file):
    from notification_service import create_app

    controller, mailbox = smtp_server()
    app = make_app(create_app, SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, NOTIFICATION_LOG_FILE=str(log_file))

    response = notify(app.test_client(), incident_id, "email", "alice@example.com")

    assert response.status_code == 201, response.json
    message = email.message_from_string(mailbox.messages[0]["data"], policy=email.policy.default)
    text, html = message.get_body("plain").get_content(), message.get_body("html").get_content()
    assert f"Acknowledge: {BASE}tokenA" in text and f"Open: {BASE}tokenO" in text
    assert f'<a href="{BASE}tokenA"' in html and ">Acknowledge</a>" in html and ">Resolve</a>" in html


def test_slack_gets_link_buttons(client, incident_id, receiver):
    hook = receiver()

    assert notify(client, incident_id, "slack", f"{hook.url}/hooks/ops").status_code == 201

    [block] = [block for block in hook.requests[0]["json"]["blocks"] if block["type"] == "actions"]
    assert [(button["text"]["text"], button["url"]) for button in block["elements"]] == [
        ("Acknowledge", BASE + "tokenA"),
        ("Resolve", BASE + "tokenR"),
        ("Open", BASE + "tokenO"),
    ]


def test_the_links_are_credentials_never_shown_in_answers(client, incident_id):
    created = notify(client, incident_id, "log", "alice")

    shown = client.get(f"/api/v1/notifications/{created.json['id']}").json
    listed = client.get("/api/v1/notifications").json

    assert shown["actions"] == [{"action": a["action"], "label": a["label"]} for a in ACTIONS]
    assert "token" not in json.dumps([created.json, shown, listed])


def test_more_than_three_links_or_a_bad_one_is_a_422(client, incident_id):
    four = notify(client, incident_id, "log", "alice", actions=[*ACTIONS, ACTIONS[0]])
    bad = notify(client, incident_id, "log", "alice", actions=[{"action": "delete", "label": "x", "url": "ftp://x"}])

    assert four.status_code == 422 and list(four.json["errors"]["json"]) == ["actions"]
    assert bad.status_code == 422 and set(bad.json["errors"]["json"]["actions"]["0"]) == {"action", "url"}
