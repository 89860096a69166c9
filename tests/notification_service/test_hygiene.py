"""Paging hygiene: rate limits per contact method and folded repeats, as rules and against a real database."""

import pytest

from notification_service import hygiene
from notification_service.delivery import relay_pending
from servicekit.config import ConfigError
from tests.notification_service.conftest import point_at
from tests.notification_service.fake_services import ntfy_answer, twilio_answer

TWILIO = "twilio://+15551234567/+15557654321?sid=AC" + "0" * 32 + "&token=testtoken"


@pytest.mark.parametrize(
    ("channel", "recipient", "kind"),
    [
        ("apprise", TWILIO, "sms"),
        ("apprise", TWILIO + "&method=call", "voice"),
        ("apprise", "vonage://15551234567/15557654321?key=k&secret=s", "sms"),
        ("apprise", "ntfys://ntfy.example.com/ops", "push"),
        ("apprise", "pover://u@t", "push"),
        ("apprise", "workflows://h/w/s", "chat"),
        ("email", "alice@example.com", "email"),
        ("slack", "https://hooks.slack.com/services/T/B/X", "webhook"),
        ("log", "alice", "log"),
    ],
)
def test_the_kind_of_a_contact_method(channel, recipient, kind):
    assert hygiene.kind_of(channel, recipient) == kind


@pytest.mark.parametrize(
    ("limit", "ages", "wait"),
    [
        (hygiene.Limit(1, 60), [], 0),
        (hygiene.Limit(1, 60), [20], 40),
        (hygiene.Limit(1, 60), [61], 0),
        (hygiene.Limit(3, 900), [10, 100], 0),
        (hygiene.Limit(3, 900), [10, 100, 300], 600),
        (hygiene.Limit(3, 900), [300, 10, 100, 1000], 600),
    ],
)
def test_how_long_a_page_waits_for_its_rate_limit(limit, ages, wait):
    assert hygiene.wait_seconds(limit, ages) == pytest.approx(wait)


def test_rate_limits_are_read_from_the_setting_and_a_bad_one_is_named():
    assert hygiene.parse_limits("sms:1/60, voice:3/900") == {
        "sms": hygiene.Limit(1, 60),
        "voice": hygiene.Limit(3, 900),
    }
    assert hygiene.parse_limits("") == {}
    for bad in ("sms:0/60", "fax:1/60", "sms=1/60", "sms:1/0"):
        with pytest.raises(ConfigError, match="NOTIFICATION_RATE_LIMITS"):
            hygiene.parse_limits(bad)


def notify(client, incident_id, recipient, **fields):
    body = {"incident_id": incident_id, "channel": "apprise", "recipient": recipient, "message": "db down"}
    return client.post("/api/v1/notify", json={**body, **fields})


def test_a_second_sms_within_the_minute_waits_and_goes_when_the_minute_is_over(
    app, client, incident_id, fake_service, sql
):
    twilio = fake_service(twilio_answer, tls=True)
    point_at(app, {("api.twilio.com", 443): ("127.0.0.1", twilio.port)})

    first = notify(client, incident_id, TWILIO, message="first")
    second = notify(client, incident_id, TWILIO, message="second")

    assert first.json["status"] == "sent"
    assert second.status_code == 202 and second.json["status"] == "pending" and second.json["attempts"] == 0
    assert second.json["last_error"] == "rate limited: at most 1 sms per 60 s to this contact method"
    assert len(twilio.requests) == 1
    assert relay_pending(app) == 0  # not due before the minute is over

    sql("UPDATE notifications SET sent_at = now() - interval '61 seconds' WHERE id = %s", (first.json["id"],))
    sql("UPDATE notifications SET next_attempt_at = now() WHERE id = %s", (second.json["id"],))
    assert relay_pending(app) == 1
    assert [request["form"]["Body"] for request in twilio.requests] == ["first", "second"]


def test_push_has_no_limit_by_default(client, incident_id, fake_service):
    ntfy = fake_service(ntfy_answer)

    statuses = [notify(client, incident_id, f"ntfy://127.0.0.1:{ntfy.port}/ops").json["status"] for _ in range(3)]

    assert statuses == ["sent", "sent", "sent"] and len(ntfy.requests) == 3


def test_repeated_pages_for_one_incident_and_step_fold_into_one(client, incident_id, fake_service, sql):
    ntfy = fake_service(ntfy_answer)
    url = f"ntfy://127.0.0.1:{ntfy.port}/ops"

    first = notify(client, incident_id, url, fold_key=f"incident-{incident_id}-assigned-level-0")
    repeat = notify(client, incident_id, url, fold_key=f"incident-{incident_id}-assigned-level-0")
    next_step = notify(client, incident_id, url, fold_key=f"incident-{incident_id}-escalated-level-1")

    assert first.status_code == 201 and repeat.status_code == 200
    assert repeat.json["id"] == first.json["id"] and repeat.json["folds"] == 1
    assert next_step.status_code == 201 and next_step.json["id"] != first.json["id"]
    assert len(ntfy.requests) == 2
    assert sql("SELECT count(*) FROM notifications")[0][0] == 2


def test_a_fold_key_only_folds_within_its_window(client, incident_id, fake_service, sql):
    ntfy = fake_service(ntfy_answer)
    url = f"ntfy://127.0.0.1:{ntfy.port}/ops"
    first = notify(client, incident_id, url, fold_key="incident-x-assigned-level-0")
    sql("UPDATE notifications SET created_at = now() - interval '301 seconds' WHERE id = %s", (first.json["id"],))

    later = notify(client, incident_id, url, fold_key="incident-x-assigned-level-0")

    assert later.status_code == 201 and later.json["id"] != first.json["id"]
    assert len(ntfy.requests) == 2


def test_a_test_message_or_a_code_needs_no_incident(client, log_file):
    tested = client.post(
        "/api/v1/contact-messages",
        json={"kind": "test", "recipient": "alice", "message": "This is a test of this contact method"},
    )
    unknown = client.post("/api/v1/contact-messages", json={"kind": "page", "recipient": "a", "message": "m"})

    assert tested.status_code == 201, tested.json
    assert (tested.json["kind"], tested.json["incident_id"], tested.json["status"]) == ("test", None, "sent")
    assert "This is a test" in log_file.read_text()
    assert unknown.status_code == 422 and list(unknown.json["errors"]["json"]) == ["kind"]
    listed = client.get("/api/v1/notifications", query_string={"kind": "test"}).json
    assert [item["id"] for item in listed["items"]] == [tested.json["id"]]
