"""Notification rules end to end on the native stack (every service under gunicorn, PAGING_CONTACT_METHODS on
as in compose): an alert pages Alice on her first method at once and on her second after its delay; when the
incident is acknowledged before the delay, the second is never sent."""

import datetime as dt
import time

import pytest
import requests

from tests.oncall_service.test_full_path import make_schedule, raise_alert
from tests.waiting import wait_for

pytestmark = pytest.mark.stack

DELAY = 4  # seconds: the paging worker's tick is 1 s


def give_rules(stack, email, *rules):
    """Log contact methods (verified as they are) for the user and a rule for each (address, delay)."""
    oncall = stack.url("oncall_service")
    user = requests.get(f"{oncall}/api/v1/users", params={"email": email}, timeout=10).json()["items"][0]["id"]
    for address, delay in rules:
        method = requests.post(
            f"{oncall}/api/v1/users/{user}/contact-methods", json={"type": "log", "address": address}, timeout=10
        )
        assert method.status_code == 201, method.text
        rule = {"contact_method_id": method.json()["id"], "delay_seconds": delay}
        made = requests.post(f"{oncall}/api/v1/users/{user}/notification-rules", json=rule, timeout=10)
        assert made.status_code == 201, made.text


def deliveries(stack, incident_id):
    """(recipient, sent_at) of the incident's notifications that were sent, oldest first."""
    url = f"{stack.url('notification_service')}/api/v1/notifications"
    items = requests.get(url, params={"incident_id": incident_id}, timeout=10).json()["items"]
    sent = [(n["recipient"], dt.datetime.fromisoformat(n["sent_at"])) for n in items if n["status"] == "sent"]
    return sorted(sent, key=lambda pair: pair[1])


def test_first_method_at_once_second_after_its_delay_and_none_after_an_acknowledgement(stack):
    team = make_schedule(stack, timeout_seconds=3600)
    alice = f"alice-{team}@example.com"
    give_rules(stack, alice, (f"{team}-email", 0), (f"{team}-slack", DELAY))

    ignored = raise_alert(stack, team, f"checkout-{team}")
    answered = raise_alert(stack, team, f"search-{team}")

    first = wait_for(lambda: deliveries(stack, ignored), what="the first delivery")
    assert [recipient for recipient, _ in first] == [f"{team}-email"]
    wait_for(lambda: deliveries(stack, answered), what="the other incident's first delivery")
    acknowledged = requests.patch(
        f"{stack.url('incident_management')}/api/v1/incidents/{answered}",
        json={"status": "acknowledged", "actor": alice},
        timeout=10,
    )
    assert acknowledged.status_code == 200, acknowledged.text

    both = wait_for(lambda: len(deliveries(stack, ignored)) == 2 and deliveries(stack, ignored), timeout=20)
    (now_to, now_at), (later_to, later_at) = both
    assert (now_to, later_to) == (f"{team}-email", f"{team}-slack")
    assert DELAY - 0.5 <= (later_at - now_at).total_seconds() <= DELAY + 3

    time.sleep(DELAY + 2)  # past the acknowledged incident's delay and a paging tick
    assert [recipient for recipient, _ in deliveries(stack, answered)] == [f"{team}-email"]
    timeline = requests.get(f"{stack.url('incident_management')}/api/v1/incidents/{answered}", timeout=10).json()
    assert [e["detail"]["recipient"] for e in timeline["timeline"] if e["event_type"] == "notified"] == [
        f"{team}-email"
    ]
