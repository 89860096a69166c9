"""With auth on, the services under gunicorn: the actor of every change is the signed-in caller, not the
free-text field; calling a service's port directly without a credential changes nothing; services reach
each other with their own credential (alert -> incident -> paging works end to end)."""

import time
import uuid

import pytest
import requests

from tests.auth.conftest import ADMIN_API_KEY, ADMIN_EMAIL, TEST_PASSWORD

pytestmark = pytest.mark.stack
ADMIN = {"Authorization": f"Bearer {ADMIN_API_KEY}"}


@pytest.fixture(scope="module")
def responder(auth_stack):
    """A responder signed in with a session: (requests session with the cookie, CSRF headers, e-mail)."""
    oncall = auth_stack.url("oncall_service")
    email = f"responder-{uuid.uuid4().hex[:6]}@example.com"
    created = requests.post(
        f"{oncall}/api/v1/users",
        json={
            "name": "Rita",
            "email": email,
            "role": "responder",
            "password": TEST_PASSWORD,
        },
        headers=ADMIN,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    session = requests.Session()
    login = session.post(f"{oncall}/api/v1/auth/login", json={"email": email, "password": TEST_PASSWORD}, timeout=10)
    assert login.status_code == 200, login.text
    return session, {"X-CSRF-Token": login.json()["csrf_token"]}, email


def _incident(auth_stack):
    service = f"auth-{uuid.uuid4().hex[:8]}"
    alert = requests.post(
        f"{auth_stack.url('alert_ingestion')}/api/v1/alerts",
        json={"service": service, "severity": "high", "message": "disk full"},
        timeout=10,
    )
    assert alert.status_code == 201, alert.text  # ingestion is open (INGEST_REQUIRE_KEY off) and correlates
    return alert.json()["incident_id"]


def test_the_actor_is_who_signed_in_not_the_typed_name(auth_stack, responder):
    session, csrf, email = responder
    incidents = f"{auth_stack.url('incident_management')}/api/v1/incidents"
    incident_id = _incident(auth_stack)
    body = {"status": "acknowledged", "actor": "the-boss", "note": {"author": "the-boss", "content": "on it"}}
    changed = session.patch(f"{incidents}/{incident_id}", json=body, headers=csrf, timeout=10)
    assert changed.status_code == 200, changed.text
    note = session.post(f"{incidents}/{incident_id}/notes", json={"content": "rolled back"}, headers=csrf, timeout=10)
    assert (note.status_code, note.json()["author"]) == (201, email)
    detail = session.get(f"{incidents}/{incident_id}", timeout=10).json()
    events = {event["event_type"]: event["actor"] for event in detail["timeline"]}
    assert events["acknowledged"] == email
    assert {n["author"] for n in detail["notes"]} == {email}
    resolved = requests.patch(
        f"{incidents}/{incident_id}", json={"status": "resolved", "actor": "x"}, headers=ADMIN, timeout=10
    )
    assert resolved.status_code == 200, resolved.text
    timeline = requests.get(f"{incidents}/{incident_id}", headers=ADMIN, timeout=10).json()["timeline"]
    assert [e["actor"] for e in timeline if e["event_type"] == "resolved"] == ["admin-api-key"]


def test_calling_a_service_port_without_a_credential_changes_nothing(auth_stack):
    incidents = f"{auth_stack.url('incident_management')}/api/v1/incidents"
    incident_id = _incident(auth_stack)
    before = requests.get(f"{incidents}/{incident_id}", headers=ADMIN, timeout=10).json()
    attempts = [
        requests.patch(f"{incidents}/{incident_id}", json={"status": "resolved"}, timeout=10),
        requests.post(f"{incidents}/{incident_id}/notes", json={"author": "x", "content": "x"}, timeout=10),
        requests.post(f"{incidents}/{incident_id}/escalate", json={}, timeout=10),
        requests.post(f"{incidents}/alerts/resolved", json={"alert_id": str(uuid.uuid4())}, timeout=10),
        requests.post(f"{incidents}", json={"title": "x", "service": "x", "severity": "low"}, timeout=10),
        requests.post(f"{auth_stack.url('notification_service')}/api/v1/notify", json={}, timeout=10),
        requests.delete(f"{auth_stack.url('oncall_service')}/api/v1/users/{uuid.uuid4()}", timeout=10),
    ]
    assert [a.status_code for a in attempts] == [401] * len(attempts)
    forged = requests.patch(
        f"{incidents}/{incident_id}", json={"status": "resolved"}, headers={"X-Service-Token": "forged"}, timeout=10
    )
    assert forged.status_code == 401
    after = requests.get(f"{incidents}/{incident_id}", headers=ADMIN, timeout=10).json()
    assert (after["status"], after["notes"], after["escalation_level"]) == ("open", [], before["escalation_level"])
    refused_events = {"acknowledged", "resolved", "note_added", "escalated", "alert_resolved"}
    assert not refused_events & {event["event_type"] for event in after["timeline"]}
    made = requests.get(incidents, params={"service": "x"}, headers=ADMIN, timeout=10).json()
    assert made["total"] == 0


def test_services_page_each_other_with_their_own_credential(auth_stack):
    """An alert's incident is assigned and paged: ingestion -> incident management -> on-call -> notifications."""
    oncall = auth_stack.url("oncall_service")
    team = f"auth-team-{uuid.uuid4().hex[:6]}"
    members = [{"name": "Pat", "email": f"{team}@example.com", "role": "primary"}]
    schedule = requests.post(
        f"{oncall}/api/v1/schedules",
        json={"team": team, "rotation_type": "weekly", "members": members},
        headers=ADMIN,
        timeout=10,
    )
    assert schedule.status_code == 201, schedule.text
    alert = requests.post(
        f"{auth_stack.url('alert_ingestion')}/api/v1/alerts",
        json={"service": team, "severity": "critical", "message": "down", "labels": {"team": team}},
        timeout=10,
    ).json()
    incidents = f"{auth_stack.url('incident_management')}/api/v1/incidents/{alert['incident_id']}"
    deadline = time.monotonic() + 15
    while True:
        events = [e["event_type"] for e in requests.get(incidents, headers=ADMIN, timeout=10).json()["timeline"]]
        if "notified" in events or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert "assigned" in events and "notified" in events, events
    sent = requests.get(
        f"{auth_stack.url('notification_service')}/api/v1/notifications",
        params={"incident_id": alert["incident_id"]},
        headers=ADMIN,
        timeout=10,
    ).json()["items"]
    assert [n["recipient"] for n in sent][:1] == [f"{team}@example.com"] or sent, sent
    assert ADMIN_EMAIL
