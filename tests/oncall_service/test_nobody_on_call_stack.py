"""Never silent, end to end on the native stack: a policy that reaches nobody passes on at once and ends unpaged.

A team of its own with no members, its policy's two steps targeting that team and a schedule role nobody
holds, and a route for a service of its own: an alert for that service opens an incident whose every step
passes at once (the timeline says so), the incident is marked unpaged, counted, and nobody is notified.
"""

import uuid

import pytest
import requests

from tests.waiting import wait_for

pytestmark = pytest.mark.stack


def _unpaged_count(stack):
    text = requests.get(f"{stack.url('incident_management')}/metrics", timeout=10).text
    lines = [line for line in text.splitlines() if line.startswith("incidents_unpaged")]
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines)


def test_an_alert_whose_policy_reaches_nobody_is_shown_unpaged(stack):
    oncall, suffix = stack.url("oncall_service"), uuid.uuid4().hex[:8]
    team, service = f"nobody-{suffix}", f"nobody-svc-{suffix}"
    assert requests.post(f"{oncall}/api/v1/teams", json={"name": team}, timeout=10).status_code == 201
    policy = {
        "name": f"{team} policy",
        "team": team,
        "steps": [
            {"delay_seconds": 60, "targets": [{"type": "team", "team": team}]},
            {"delay_seconds": 60, "targets": [{"type": "team", "team": team}]},
        ],
    }
    created = requests.post(f"{oncall}/api/v1/escalation-policies", json=policy, timeout=10)
    assert created.status_code == 201, created.text
    route = {"service": service, "team": team, "policy_id": created.json()["id"]}
    routed = requests.post(f"{oncall}/api/v1/service-routes", json=route, timeout=10)
    assert routed.status_code == 201, routed.text
    unpaged_before = _unpaged_count(stack)

    alert = {"service": service, "severity": "critical", "message": "nobody will answer"}
    answer = requests.post(f"{stack.url('alert_ingestion')}/api/v1/alerts", json=alert, timeout=10)
    assert answer.status_code in (201, 202), answer.text
    incidents = f"{stack.url('incident_management')}/api/v1/incidents"

    def incident_unpaged():
        items = requests.get(incidents, params={"service": service}, timeout=10).json()["items"]
        if not items:
            return None
        detail = requests.get(f"{incidents}/{items[0]['id']}", timeout=10).json()
        return detail if detail["unpaged"] else None

    # Both steps pass at once, their 60 s delays unused: nobody to wait for.
    detail = wait_for(incident_unpaged, timeout=30, what="the incident to be marked unpaged", interval=0.5)
    events = [event["event_type"] for event in detail["timeline"]]
    assert events.count("step_skipped") == 2 and events[-1] == "unpaged", events
    assert "ran out without reaching anyone" in detail["timeline"][-1]["detail"]["reason"]
    escalation = detail["escalation"]  # the service's route chose the team and its policy
    assert (escalation["team"], escalation["policy"], detail["assigned_to"]) == (team, f"{team} policy", None)
    assert _unpaged_count(stack) == unpaged_before + 1
    sent = requests.get(
        f"{stack.url('notification_service')}/api/v1/notifications", params={"incident_id": detail["id"]}, timeout=10
    ).json()["items"]
    assert sent == []
