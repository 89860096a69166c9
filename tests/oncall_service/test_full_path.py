"""The on-call flow end to end on the native stack: every service under gunicorn, talking HTTP.

schedule -> alert -> incident assigned to the current primary -> notification
recorded -> nobody acknowledges -> escalated to the secondary, once.
"""

import time
import uuid

import pytest
import requests

from tests.waiting import wait_for

pytestmark = pytest.mark.stack


def make_schedule(stack, timeout_seconds):
    team = f"team-{uuid.uuid4().hex[:8]}"
    body = {
        "team": team,
        "rotation_type": "weekly",
        "escalation_timeout_seconds": timeout_seconds,
        "members": [
            {"name": "Alice", "email": f"alice-{team}@example.com", "role": "primary"},
            {"name": "Sam", "email": f"sam-{team}@example.com", "role": "secondary"},
        ],
    }
    response = requests.post(f"{stack.url('oncall_service')}/api/v1/schedules", json=body, timeout=10)
    assert response.status_code == 201, response.text
    return team


def incident(stack, incident_id):
    return requests.get(f"{stack.url('incident_management')}/api/v1/incidents/{incident_id}", timeout=10).json()


def event_types(stack, incident_id):
    return [event["event_type"] for event in incident(stack, incident_id)["timeline"]]


def notified(stack, incident_id):
    url = f"{stack.url('notification_service')}/api/v1/notifications"
    items = requests.get(url, params={"incident_id": incident_id}, timeout=10).json()["items"]
    return sorted((n["recipient"], n["status"]) for n in items)


def raise_alert(stack, team, service):
    body = {"service": service, "severity": "critical", "message": "error rate above 5%", "labels": {"team": team}}
    response = requests.post(f"{stack.url('alert_ingestion')}/api/v1/alerts", json=body, timeout=10)
    assert response.status_code == 201, response.text
    assert response.json()["result"] == "new_incident"
    return response.json()["incident_id"]


def metric(stack, name, labels, service="incident_management"):
    text = requests.get(f"{stack.url(service)}/metrics", timeout=10).text
    wanted = f"{name}{{{labels}}} "
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(wanted))


def test_alert_pages_the_primary_then_escalates_to_the_secondary_once(stack):
    team = make_schedule(stack, timeout_seconds=3)
    alice, sam = f"alice-{team}@example.com", f"sam-{team}@example.com"
    ignored = raise_alert(stack, team, f"checkout-{team}")
    answered = raise_alert(stack, team, f"search-{team}")

    # Assigned to the current primary and notified through the notification service.
    assigned = wait_for(
        lambda: incident(stack, ignored)["assigned_to"] == "Alice" and "notified" in event_types(stack, ignored),
        what="the primary to be assigned and notified",
    )
    assert assigned
    assert wait_for(lambda: notified(stack, ignored) == [(alice, "sent")], what="the page to be delivered")
    wait_for(lambda: "notified" in event_types(stack, answered), what="the second incident's page")
    acknowledged = requests.patch(
        f"{stack.url('incident_management')}/api/v1/incidents/{answered}",
        json={"status": "acknowledged", "actor": alice},
        timeout=10,
    )
    assert acknowledged.status_code == 200

    # Nobody acknowledges the first one: its policy's next step falls due and reaches the secondary.
    wait_for(lambda: incident(stack, ignored)["escalation_level"] == 1, timeout=40, what="the escalation")
    escalated = incident(stack, ignored)
    assert (escalated["assigned_to"], escalated["assigned_email"]) == ("Sam", sam)
    wait_for(lambda: (sam, "sent") in notified(stack, ignored), what="the secondary's page")

    # Several workers claim due steps: still exactly one escalation, and nothing further after the last step.
    time.sleep(5)  # more than the 3 s step delay plus the 1 s escalation interval
    assert event_types(stack, ignored).count("escalated") == 1
    assert incident(stack, ignored)["escalation_level"] == 1
    assert notified(stack, ignored) == [(alice, "sent"), (sam, "sent")]
    url = f"{stack.url('incident_management')}/api/v1/escalations"
    log = requests.get(url, params={"team": team}, timeout=10).json()
    assert [(e["incident_id"], e["level"], e["trigger"]) for e in log["items"]] == [(ignored, 1, "timeout")]
    assert metric(stack, "escalations_total", f'team="{team}"') == 1

    # Acknowledging stopped the other one.
    assert "escalated" not in event_types(stack, answered)
    assert incident(stack, answered)["assigned_to"] == "Alice"


def test_oncall_service_down_at_creation_assigns_once_it_is_back(stack):
    team = make_schedule(stack, timeout_seconds=3600)
    stack.stop("oncall_service")
    try:
        body = {"title": "Disk full on db-1", "service": f"db-{team}", "severity": "high", "team": team}
        response = requests.post(f"{stack.url('incident_management')}/api/v1/incidents", json=body, timeout=10)
        assert response.status_code == 201  # created at once, on-call service or not
        created = response.json()
        assert created["assigned_to"] is None
        wait_for(lambda: "paging_failed" in event_types(stack, created["id"]), what="the failed lookup to show")
        assert incident(stack, created["id"])["assigned_to"] is None
    finally:
        stack.start("oncall_service")
    wait_for(lambda: incident(stack, created["id"])["assigned_to"] == "Alice", timeout=60, what="the assignment")
    wait_for(lambda: "notified" in event_types(stack, created["id"]), what="the notification")
    assert event_types(stack, created["id"]) == ["created", "paging_failed", "assigned", "notified"]
