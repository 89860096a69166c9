"""The pure rules of outgoing webhooks: signature, verification, back-off with jitter, the body."""

import datetime as dt
import hashlib
import hmac
import json

import pytest

from incident_management.webhooks import rules

SECRET = "whsec_test-secret-0123456789abcdefghijklmnop"  # pragma: allowlist secret


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    body = b'{"event_type": "incident.opened"}'
    expected = hmac.new(SECRET.encode(), b"1764750000." + body, hashlib.sha256).hexdigest()
    assert rules.signature(SECRET, 1764750000, body) == f"sha256={expected}"


def test_headers_carry_event_delivery_timestamp_and_signature():
    body = b"{}"
    headers = rules.headers(SECRET, "incident.resolved", "d-1", body, now=1764750000.7)
    assert headers["X-Incident-Event"] == "incident.resolved"
    assert headers["X-Incident-Delivery"] == "d-1"
    assert headers["X-Incident-Timestamp"] == "1764750000"
    assert headers["X-Incident-Signature"] == rules.signature(SECRET, 1764750000, body)
    assert SECRET not in json.dumps(headers)


@pytest.mark.parametrize(
    ("secret", "timestamp", "body", "now", "valid"),
    [
        (SECRET, 1000, b"{}", 1000, True),
        (SECRET, 1000, b"{}", 1300, True),  # within five minutes
        (SECRET, 1000, b"{}", 1301, False),  # a replay later on
        ("whsec_another-secret", 1000, b"{}", 1000, False),
        (SECRET, 1000, b'{"x": 1}', 1000, False),  # body changed on the way
        (SECRET, "not-a-number", b"{}", 1000, False),
    ],
)
def test_what_a_receiver_accepts(secret, timestamp, body, now, valid):
    header = rules.signature(SECRET, 1000, b"{}")
    assert rules.verify(secret, timestamp, body, header, now) is valid


@pytest.mark.parametrize(
    ("attempts", "jitter", "delay"),
    [
        (1, 1.0, 10.0),
        (2, 1.0, 20.0),
        (3, 1.0, 40.0),
        (3, 0.0, 20.0),  # never less than half the step
        (3, 0.5, 30.0),
        (8, 1.0, 600.0),  # capped
        (500, 1.0, 600.0),
        (0, 1.0, 10.0),
    ],
)
def test_back_off_doubles_up_to_the_cap_with_jitter(attempts, jitter, delay):
    assert rules.retry_delay(attempts, 10.0, 600.0, jitter) == delay


@pytest.mark.parametrize(
    ("attempts", "permanent", "expected"),
    [
        (1, False, ("pending", 10.0)),
        (4, False, ("pending", 80.0)),
        (5, False, ("failed", None)),
        (1, True, ("failed", None)),
    ],
)
def test_after_a_failure(attempts, permanent, expected):
    assert rules.after_failure(attempts, 5, permanent, 10.0, 600.0, 1.0) == expected


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (404, True), (410, True), (429, False), (408, False)])
def test_which_answers_are_worth_a_retry(status, permanent):
    assert rules.is_permanent(status) is permanent
    assert not rules.is_permanent(500) and not rules.is_permanent(503)


def test_the_body_names_the_event_and_the_incident():
    event = {
        "id": "e-1",
        "event_type": "incident.note_added",
        "occurred_at": dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC),
        "team": "payments",
        "data": {
            "actor": "alice",
            "incident": {"id": "i-1", "title": "db down", "team": None, "status": "open"},
            "note": {"author": "alice", "content": "looking"},
        },
    }
    body = json.loads(rules.body(event, "https://oncall.example.com/incidents/{incident_id}"))
    assert body == {
        "event_type": "incident.note_added",
        "event_id": "e-1",
        "occurred_at": "2026-12-03T09:00:00+00:00",
        "actor": "alice",
        "incident": {
            "id": "i-1",
            "title": "db down",
            "team": "payments",  # the team the event was fanned out for
            "status": "open",
            "urls": {"web": "https://oncall.example.com/incidents/i-1"},
        },
        "note": {"author": "alice", "content": "looking"},
    }
    assert rules.body(event) == rules.body(event)  # the same bytes on every attempt


def test_secrets_are_new_each_time_and_long():
    first, second = rules.new_secret(), rules.new_secret()
    assert first != second and first.startswith("whsec_") and len(first) > 40
