"""Each channel delivers for real: a log file, a local HTTP receiver, a local SMTP server (aiosmtpd)."""

import email
import hashlib
import hmac
import json
import logging
import ssl

from tests.conftest import LOCAL_RECEIVERS
from tests.notification_service.receivers import accept_login


def notify(client, incident_id, **fields):
    return client.post("/api/v1/notify", json={"incident_id": incident_id, **fields})


# --- log ------------------------------------------------------------------------------------


def test_the_log_channel_writes_a_json_line_to_the_file_and_the_console(client, incident_id, log_file, caplog):
    caplog.set_level(logging.INFO, logger="notification_service.log_channel")

    first = notify(client, incident_id, recipient="alice", message="Database down", subject="P1: db")
    second = notify(client, incident_id, recipient="bob", message="Still down\nsecond line")

    assert first.status_code == 201 and second.status_code == 201
    assert first.json["status"] == "sent" and first.json["attempts"] == 1 and first.json["sent_at"]
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert [line["notification_id"] for line in lines] == [first.json["id"], second.json["id"]]
    assert lines[0] | {"time": None} == {
        "time": None,
        "notification_id": first.json["id"],
        "incident_id": incident_id,
        "recipient": "alice",
        "subject": "P1: db",
        "message": "Database down",
    }
    assert lines[1]["message"] == "Still down\nsecond line"
    assert "NOTIFY alice" in caplog.text and "P1: db" in caplog.text


def test_an_unwritable_log_file_leaves_the_notification_pending_with_the_reason(make_app, incident_id, tmp_path):
    from notification_service import create_app

    app = make_app(create_app, NOTIFICATION_LOG_FILE=str(tmp_path))  # a folder, not a file

    response = notify(app.test_client(), incident_id, recipient="alice", message="db down")

    assert response.status_code == 202
    assert response.json["status"] == "pending"
    assert "cannot write the notification log" in response.json["last_error"]


# --- webhook --------------------------------------------------------------------------------


def test_a_webhook_gets_the_notification_as_json(client, incident_id, receiver):
    hook = receiver()

    response = notify(
        client, incident_id, channel="webhook", recipient=f"{hook.url}/hooks/ops", message="db down", subject="P1"
    )

    assert response.status_code == 201
    assert response.json["status"] == "sent"
    [request] = hook.requests
    assert request["path"] == "/hooks/ops"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Idempotency-Key"] == response.json["id"]
    assert "X-Signature-256" not in request["headers"]
    assert request["json"] | {"created_at": None} == {
        "notification_id": response.json["id"],
        "incident_id": incident_id,
        "subject": "P1",
        "message": "db down",
        "incident_url": None,
        "created_at": None,
        "attempt": 1,
        "actions": [],
    }


def test_a_webhook_is_signed_when_a_secret_is_set(make_app, incident_id, receiver):
    from notification_service import create_app

    app = make_app(
        create_app,
        NOTIFICATION_WEBHOOK_SECRET="s3cret",
        NOTIFICATION_INCIDENT_URL="http://ui.example/incidents/{incident_id}",
        WEBHOOK_ALLOWED_HOSTS=LOCAL_RECEIVERS,
    )
    hook = receiver()

    response = notify(app.test_client(), incident_id, channel="webhook", recipient=hook.url, message="db down")

    assert response.status_code == 201
    [request] = hook.requests
    expected = hmac.new(b"s3cret", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Signature-256"] == f"sha256={expected}"
    assert request["json"]["incident_url"] == f"http://ui.example/incidents/{incident_id}"


def test_a_receiver_slower_than_the_request_timeout_leaves_it_pending(make_app, incident_id, receiver):
    from notification_service import create_app

    app = make_app(create_app, NOTIFICATION_SYNC_TIMEOUT=0.3, WEBHOOK_ALLOWED_HOSTS=LOCAL_RECEIVERS)
    slow = receiver(delay=1.5)

    response = notify(app.test_client(), incident_id, channel="webhook", recipient=slow.url, message="db down")

    assert response.status_code == 202
    assert response.json["status"] == "pending"
    assert response.json["attempts"] == 1
    assert "Timeout" in response.json["last_error"]
    assert response.json["next_attempt_at"] is not None


def test_an_unreachable_receiver_is_named_plainly(client, incident_id):
    response = notify(client, incident_id, channel="webhook", recipient="http://127.0.0.1:9/hook", message="x")

    assert response.status_code == 202
    assert response.json["last_error"].startswith("receiver unreachable: 127.0.0.1:9: ")
    assert "Connection refused" in response.json["last_error"]


# --- slack ----------------------------------------------------------------------------------


def test_slack_gets_text_and_blocks(client, incident_id, receiver):
    hook = receiver()

    response = notify(
        client,
        incident_id,
        channel="slack",
        recipient=f"{hook.url}/services/T000/B000/XXXX",
        subject="P1: checkout 5xx",
        message="error rate > 5% on <checkout> & cart",
    )

    assert response.status_code == 201
    [request] = hook.requests
    assert request["path"] == "/services/T000/B000/XXXX"
    body = request["json"]
    assert body["text"] == "P1: checkout 5xx: error rate > 5% on <checkout> & cart"
    header, section, context = body["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": "P1: checkout 5xx", "emoji": True}}
    assert section["text"] == {"type": "mrkdwn", "text": "error rate &gt; 5% on &lt;checkout&gt; &amp; cart"}
    assert incident_id in context["elements"][0]["text"]


# --- email ----------------------------------------------------------------------------------


def test_email_is_delivered_to_a_real_smtp_server(make_app, incident_id, smtp_server):
    from notification_service import create_app

    controller, mailbox = smtp_server()
    app = make_app(
        create_app,
        SMTP_HOST=controller.hostname,
        SMTP_PORT=controller.port,
        SMTP_FROM="Incidents <incidents@example.org>",
    )

    response = notify(
        app.test_client(),
        incident_id,
        channel="email",
        recipient="alice@example.com",
        subject="P1: database down",
        message="Primary is not answering.",
    )

    assert response.status_code == 201, response.json
    assert response.json["status"] == "sent"
    [mail] = mailbox.messages
    assert mail["from"] == "incidents@example.org"
    assert mail["to"] == ["alice@example.com"]
    assert mail["user"] is None and not mail["tls"]
    message = email.message_from_string(mail["data"])
    assert message["Subject"] == "P1: database down"
    assert message["To"] == "alice@example.com"
    assert message["Message-ID"] == f"<{response.json['id']}@example.org>"
    assert message["X-Incident-Id"] == incident_id
    assert "Primary is not answering." in message.get_payload()
    assert f"Incident {incident_id}" in message.get_payload()


def test_email_over_starttls_with_a_login(make_app, incident_id, smtp_server, tls_certificate):
    from notification_service import create_app

    key, cert = tls_certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    controller, mailbox = smtp_server(
        tls_context=server_tls,
        require_starttls=True,
        auth_required=True,
        authenticator=accept_login("pager", "hunter2"),
    )
    settings = {
        "SMTP_HOST": controller.hostname,
        "SMTP_PORT": controller.port,
        "SMTP_STARTTLS": True,
        "SMTP_CA_FILE": str(cert),
        "SMTP_USERNAME": "pager",
        "SMTP_PASSWORD": "hunter2",
    }
    good = make_app(create_app, **settings).test_client()
    wrong_password = make_app(create_app, **{**settings, "SMTP_PASSWORD": "wrong"}).test_client()

    sent = notify(good, incident_id, channel="email", recipient="bob@example.com", message="db down")
    refused = notify(wrong_password, incident_id, channel="email", recipient="bob@example.com", message="db down")

    assert sent.status_code == 201, sent.json
    [mail] = mailbox.messages
    assert mail["tls"] is True
    assert mail["user"] == "pager"
    assert refused.status_code == 202
    assert refused.json["status"] == "pending"
    assert "535" in refused.json["last_error"]


def test_a_mailbox_the_server_refuses_fails_at_once(make_app, incident_id, smtp_server):
    from notification_service import create_app

    controller, mailbox = smtp_server(refuse={"ghost@example.com"})
    app = make_app(create_app, SMTP_HOST=controller.hostname, SMTP_PORT=controller.port)

    response = notify(app.test_client(), incident_id, channel="email", recipient="ghost@example.com", message="x")

    assert response.status_code == 202
    assert response.json["status"] == "failed"
    assert response.json["attempts"] == 1
    assert "550" in response.json["last_error"]
    assert mailbox.messages == []


def test_an_smtp_server_that_is_down_leaves_the_email_pending(make_app, incident_id):
    from notification_service import create_app
    from tests.notification_service.receivers import free_port

    app = make_app(create_app, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())

    response = notify(app.test_client(), incident_id, channel="email", recipient="alice@example.com", message="x")

    assert response.status_code == 202
    assert response.json["status"] == "pending"
    assert "ConnectionRefusedError" in response.json["last_error"]
