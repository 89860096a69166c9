"""Apprise URLs as recipients, without a database or a network: validation, masking, priorities."""

import pathlib
import re

import pytest

from notification_service.channels import apprise_urls

# Twilio's shape of an account SID (AC and 32 hex digits), not a real one.
SID = "AC" + "0" * 32
TWILIO = f"twilio://+15551234567/+15557654321?sid={SID}&token=testtoken"
USERINFO = "u:" + "pw"  # built here: a user:password literal in a URL reads as a leaked credential


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("ntfy://ntfy.example.com/ops", "ntfy://ntfy.example.com/ops"),
        ("ntfys://tk_abcdef123456@ntfy.example.com/ops?auth=token", "ntfys://****@ntfy.example.com/ops?auth=token"),
        (f"ntfy://{USERINFO}@ntfy.example.com/ops", "ntfy://u:****@ntfy.example.com/ops"),
        (
            "workflows://prod-01.westus.logic.azure.com:443/WorkflowId/SIGNATURE",
            "workflows://prod-01.westus.logic.azure.com:443/****/****",
        ),
        (TWILIO, "twilio://+15551234567/+15557654321?sid=****&token=****"),
        ("pover://uuuuuuuuuuuuuuuuuuuuuuuuuuuuuu@tttttttttttttttttttttttttttttt", "pover://****@****"),
        ("tgram://123456789:ABCdefGHIjklMNOpqrSTUvwxYZ/12345", "tgram://****:****/12345"),
        (
            f"bogus://{USERINFO}@host/x?a=b",
            "bogus://" + "****:" + "****@****/****?a=****",
        ),  # unparseable: only the scheme is shown
    ],
)
def test_secrets_are_masked_as_apprise_itself_hides_them(url, shown):
    assert apprise_urls.masked(url) == shown


@pytest.mark.parametrize(
    ("url", "urgency", "expected"),
    [
        ("ntfy://h/ops", "high", "ntfy://h/ops?priority=max"),
        ("ntfys://h/ops?auth=token", "low", "ntfys://h/ops?auth=token&priority=low"),
        ("ntfy://h/ops?Priority=min", "high", "ntfy://h/ops?Priority=min"),
        ("pover://u@t", "high", "pover://u@t?priority=emergency"),
        ("pover://u@t", "low", "pover://u@t?priority=moderate"),
        ("gotifys://h/token", "high", "gotifys://h/token?priority=emergency"),
        ("tgram://bot/chat", "low", "tgram://bot/chat?silent=yes"),
        ("tgram://bot/chat", "high", "tgram://bot/chat"),
        (TWILIO, "high", TWILIO),
    ],
)
def test_urgency_becomes_the_services_priority_unless_the_url_sets_one(url, urgency, expected):
    assert apprise_urls.with_urgency(url, urgency) == expected


@pytest.mark.parametrize(
    ("url", "server"),
    [
        ("ntfy://10.0.0.5:8080/ops", ("10.0.0.5", 8080)),
        ("ntfys://ntfy.example.com/ops", ("ntfy.example.com", 443)),
        ("ntfy://ops", None),  # ntfy.sh, the public service
        ("workflows://prod-01.westus.logic.azure.com/WorkflowId/SIGNATURE", ("prod-01.westus.logic.azure.com", 443)),
        (TWILIO, None),  # Twilio's own API host
    ],
)
def test_the_server_a_self_hosted_service_names(url, server):
    assert apprise_urls.server_of(url) == server


def test_a_reason_from_apprise_loses_the_urls_secrets():
    reason = f"Failed to send to {SID} with testtoken: 401"

    assert apprise_urls.mask_text(reason, TWILIO) == "Failed to send to **** with ****: 401"


def test_every_service_has_an_example_in_the_docs_that_apprise_takes():
    text = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "notifications.md").read_text()
    section = text[text.index("### Apprise URLs") :]
    examples = re.findall(r"^\| [^|]+ \| `([a-z]+://[^`]+)` \|$", section, re.MULTILINE)

    assert [url for url in examples if apprise_urls.problem(url)] == []
    documented = {apprise_urls.SERVICES[apprise_urls.scheme_of(url)] for url in examples}
    assert documented == set(apprise_urls.SERVICES.values())
