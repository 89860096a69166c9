"""Pure functions as tables: back-off, recipients per channel, message wording per channel."""

import datetime as dt
import uuid

import pytest

from notification_service import recipients, retry
from notification_service.channels import slack, smtp, webhook
from notification_service.channels.common import title_of


@pytest.mark.parametrize(
    ("attempts", "base", "cap", "expected"),
    [
        (1, 2, 300, 2),
        (2, 2, 300, 4),
        (3, 2, 300, 8),
        (8, 2, 300, 256),
        (9, 2, 300, 300),
        (10_000, 2, 300, 300),  # no overflow however many attempts
        (1, 0, 300, 0),
        (0, 5, 300, 5),
    ],
)
def test_retry_delay_doubles_up_to_the_cap(attempts, base, cap, expected):
    assert retry.retry_delay(attempts, base, cap) == expected


@pytest.mark.parametrize(
    ("attempts", "max_attempts", "permanent", "expected"),
    [
        (1, 8, False, ("pending", 2)),
        (7, 8, False, ("pending", 128)),
        (8, 8, False, ("failed", None)),
        (9, 8, False, ("failed", None)),
        (1, 8, True, ("failed", None)),
        (1, 1, False, ("failed", None)),
    ],
)
def test_after_a_failure_retry_or_give_up(attempts, max_attempts, permanent, expected):
    assert retry.after_failure(attempts, max_attempts, permanent, 2, 300) == expected


@pytest.mark.parametrize(
    ("channel", "recipient", "ok"),
    [
        ("log", "alice", True),
        ("log", "anything at all", True),
        ("email", "alice@example.com", True),
        ("email", "alice@localhost", True),
        ("email", "alice", False),
        ("email", "Alice <alice@example.com>", False),
        ("webhook", "https://hooks.example.com/x?token=1", True),
        ("webhook", "http://127.0.0.1:8080/hook", True),
        ("webhook", "http://receiver/hook", True),
        ("webhook", "ftp://example.com/x", False),
        ("webhook", "example.com/hook", False),
        ("slack", "https://hooks.slack.com/services/T0/B0/XYZ", True),
        ("slack", "#ops", False),
    ],
)
def test_which_recipients_fit_a_channel(channel, recipient, ok):
    problem = recipients.problem(channel, recipient)
    assert (problem is None) == ok, problem


def _notification(**fields):
    return {
        "id": uuid.UUID("11111111-1111-4111-8111-111111111111"),
        "incident_id": uuid.UUID("22222222-2222-4222-8222-222222222222"),
        "channel": "slack",
        "recipient": "https://hooks.example.com/x",
        "subject": None,
        "message": "Primary down\nreplica lagging",
        "attempts": 0,
        "created_at": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        **fields,
    }


@pytest.mark.parametrize(
    ("fields", "title"),
    [
        ({"subject": "P1"}, "P1"),
        ({}, "Primary down"),  # the first line of the message
        ({"message": "  \n  leading blank lines"}, "leading blank lines"),
        ({"message": "x" * 200}, "x" * 149 + "…"),
    ],
)
def test_the_title_is_the_subject_or_the_first_line(fields, title):
    assert title_of(_notification(**fields)) == title


def test_slack_text_is_escaped_cut_to_its_limits_and_links_the_incident():
    config = {"NOTIFICATION_INCIDENT_URL": "http://ui.example/incidents/{incident_id}"}
    body = slack.payload(config, _notification(subject="s" * 300, message="<b>" + "m" * 4000))

    header, section, context = body["blocks"]
    assert len(header["text"]["text"]) == 150
    assert len(section["text"]["text"]) == 3000
    assert section["text"]["text"].startswith("&lt;b&gt;mmm")
    assert (
        "<http://ui.example/incidents/22222222-2222-4222-8222-222222222222|Open the incident>"
        in (context["elements"][0]["text"])
    )
    assert len(body["text"]) <= 3000


def test_the_webhook_body_counts_the_attempt():
    body = webhook.payload({}, _notification(attempts=2))

    assert body["attempt"] == 3
    assert body["created_at"] == "2026-01-02T03:04:05+00:00"
    assert body["subject"] == "Primary down"


def test_an_email_keeps_one_message_id_across_retries():
    config = {"SMTP_FROM": "Pager <pager@example.org>", "NOTIFICATION_INCIDENT_URL": ""}

    first = smtp.build_message(config, _notification(recipient="a@example.com"))
    retry_of_it = smtp.build_message(config, _notification(recipient="a@example.com", attempts=3))

    assert first["Message-ID"] == retry_of_it["Message-ID"] == "<11111111-1111-4111-8111-111111111111@example.org>"
    assert first["Subject"] == "Primary down"
    assert first.get_content().startswith("Primary down\nreplica lagging\n\n-- \nIncident 2222")
