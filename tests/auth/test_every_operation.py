"""Every operation of the four OpenAPI documents, called with no credential, as a viewer, a responder, an
admin and a service, against the services under gunicorn with auth on: 401 / 403 / allowed as the table
below says. An operation missing from the table fails the test, so a new endpoint cannot be left open
by accident: whoever adds it decides here who may call it.

Ids in paths are a UUID nobody created (allowed callers then get 404 or 422, never 401/403); bodies are
`{}`. Collections that need no query argument must answer 2xx to the callers allowed to read them.
"""

import pytest
import requests

from servicekit.auth.service import ServiceCredential
from tests.auth.conftest import ADMIN_API_KEY, SERVICE_SECRET, SERVICES

pytestmark = pytest.mark.stack

UNKNOWN = "00000000-0000-4000-8000-000000000000"
PUBLIC, INTERNAL, VIEWER, RESPONDER, ADMIN = "public", "internal", "viewer", "responder", "admin"
# Acting on a user: their own record with any role, anyone's as admin (the UNKNOWN id is nobody's own).
SELF = "self-or-admin"
# Alert intake: open without a credential (INGEST_REQUIRE_KEY=false), but a Bearer credential there must be an
# integration key: a user's API token is refused with 401 rather than taken for one.
KEYED = "public-with-keys"
# Collections that need one of several optional query arguments (the document says which).
NEEDS_A_QUERY = {("oncall_service", "GET", "/api/v1/oncall/chain")}

EXPECTED = {
    ("alert_ingestion", "GET", "/api/v1/alerts"): VIEWER,
    ("alert_ingestion", "POST", "/api/v1/alerts"): KEYED,
    ("alert_ingestion", "POST", "/api/v1/alerts/batch"): KEYED,
    ("alert_ingestion", "GET", "/api/v1/alerts/{alert_id}"): VIEWER,
    ("alert_ingestion", "POST", "/api/v1/alerts/references"): INTERNAL,
    ("alert_ingestion", "POST", "/api/v1/alerts/resolutions"): INTERNAL,
    ("alert_ingestion", "POST", "/api/v1/alerts/alertmanager"): KEYED,
    ("alert_ingestion", "POST", "/api/v1/alerts/grafana"): KEYED,
    ("alert_ingestion", "POST", "/api/v1/alerts/webhook"): KEYED,
    ("alert_ingestion", "GET", "/api/v1/heartbeats"): VIEWER,
    ("alert_ingestion", "POST", "/api/v1/heartbeats"): ADMIN,
    ("alert_ingestion", "GET", "/api/v1/heartbeats/{heartbeat_id}"): VIEWER,
    ("alert_ingestion", "PATCH", "/api/v1/heartbeats/{heartbeat_id}"): ADMIN,
    ("alert_ingestion", "DELETE", "/api/v1/heartbeats/{heartbeat_id}"): ADMIN,
    ("alert_ingestion", "POST", "/api/v1/heartbeats/{heartbeat_id}/ping"): KEYED,
    ("alert_ingestion", "GET", "/api/v1/maintenance-windows"): VIEWER,
    ("alert_ingestion", "POST", "/api/v1/maintenance-windows"): ADMIN,
    ("alert_ingestion", "GET", "/api/v1/maintenance-windows/{window_id}"): VIEWER,
    ("alert_ingestion", "PATCH", "/api/v1/maintenance-windows/{window_id}"): ADMIN,
    ("alert_ingestion", "DELETE", "/api/v1/maintenance-windows/{window_id}"): ADMIN,
    ("incident_management", "GET", "/api/v1/incidents"): VIEWER,
    ("incident_management", "POST", "/api/v1/incidents"): RESPONDER,
    ("incident_management", "POST", "/api/v1/incidents/alerts"): INTERNAL,
    ("incident_management", "POST", "/api/v1/incidents/alerts/batch"): INTERNAL,
    ("incident_management", "GET", "/api/v1/incidents/stats"): VIEWER,
    ("incident_management", "GET", "/api/v1/incidents/{incident_id}"): VIEWER,
    ("incident_management", "PATCH", "/api/v1/incidents/{incident_id}"): RESPONDER,
    ("incident_management", "GET", "/api/v1/incidents/{incident_id}/notes"): VIEWER,
    ("incident_management", "POST", "/api/v1/incidents/{incident_id}/notes"): RESPONDER,
    ("incident_management", "GET", "/api/v1/incidents/{incident_id}/metrics"): VIEWER,
    ("incident_management", "POST", "/api/v1/incidents/alerts/resolved"): INTERNAL,
    ("incident_management", "POST", "/api/v1/incidents/{incident_id}/escalate"): INTERNAL,
    ("incident_management", "POST", "/api/v1/incidents/{incident_id}/alerts/{alert_id}/move"): RESPONDER,
    ("incident_management", "POST", "/api/v1/incidents/{incident_id}/merge"): RESPONDER,
    ("incident_management", "GET", "/api/v1/grouping-rules"): VIEWER,
    ("incident_management", "GET", "/api/v1/grouping-rules/{service}"): VIEWER,
    ("incident_management", "PUT", "/api/v1/grouping-rules/{service}"): ADMIN,
    ("incident_management", "DELETE", "/api/v1/grouping-rules/{service}"): ADMIN,
    ("oncall_service", "GET", "/api/v1/schedules"): VIEWER,
    ("oncall_service", "POST", "/api/v1/schedules"): ADMIN,
    ("oncall_service", "GET", "/api/v1/schedules/{schedule_id}"): VIEWER,
    ("oncall_service", "PUT", "/api/v1/schedules/{schedule_id}"): ADMIN,
    ("oncall_service", "PATCH", "/api/v1/schedules/{schedule_id}"): ADMIN,
    ("oncall_service", "DELETE", "/api/v1/schedules/{schedule_id}"): ADMIN,
    ("oncall_service", "GET", "/api/v1/schedules/{schedule_id}/overrides"): VIEWER,
    ("oncall_service", "POST", "/api/v1/schedules/{schedule_id}/overrides"): RESPONDER,
    ("oncall_service", "DELETE", "/api/v1/schedules/{schedule_id}/overrides/{override_id}"): RESPONDER,
    ("oncall_service", "GET", "/api/v1/oncall/current"): VIEWER,
    ("oncall_service", "GET", "/api/v1/oncall/shifts"): VIEWER,
    ("oncall_service", "POST", "/api/v1/escalate"): RESPONDER,
    ("oncall_service", "GET", "/api/v1/users"): VIEWER,
    ("oncall_service", "POST", "/api/v1/users"): ADMIN,
    ("oncall_service", "GET", "/api/v1/users/{user_id}"): VIEWER,
    ("oncall_service", "PATCH", "/api/v1/users/{user_id}"): SELF,
    ("oncall_service", "DELETE", "/api/v1/users/{user_id}"): ADMIN,
    ("oncall_service", "GET", "/api/v1/users/{user_id}/contact-methods"): VIEWER,
    ("oncall_service", "POST", "/api/v1/users/{user_id}/contact-methods"): SELF,
    ("oncall_service", "GET", "/api/v1/users/{user_id}/contact-methods/{method_id}"): VIEWER,
    ("oncall_service", "PATCH", "/api/v1/users/{user_id}/contact-methods/{method_id}"): SELF,
    ("oncall_service", "DELETE", "/api/v1/users/{user_id}/contact-methods/{method_id}"): SELF,
    ("oncall_service", "GET", "/api/v1/teams"): VIEWER,
    ("oncall_service", "POST", "/api/v1/teams"): ADMIN,
    ("oncall_service", "GET", "/api/v1/teams/{team_id}"): VIEWER,
    ("oncall_service", "PATCH", "/api/v1/teams/{team_id}"): ADMIN,
    ("oncall_service", "DELETE", "/api/v1/teams/{team_id}"): ADMIN,
    ("oncall_service", "POST", "/api/v1/auth/login"): PUBLIC,
    ("oncall_service", "POST", "/api/v1/auth/logout"): PUBLIC,
    ("oncall_service", "GET", "/api/v1/auth/me"): VIEWER,
    ("oncall_service", "POST", "/api/v1/auth/password"): VIEWER,
    ("oncall_service", "GET", "/api/v1/tokens"): VIEWER,
    ("oncall_service", "POST", "/api/v1/tokens"): VIEWER,
    ("oncall_service", "GET", "/api/v1/tokens/{token_id}"): VIEWER,
    ("oncall_service", "DELETE", "/api/v1/tokens/{token_id}"): VIEWER,
    ("oncall_service", "POST", "/internal/v1/auth/verify"): INTERNAL,
    ("notification_service", "POST", "/api/v1/notify"): ADMIN,
    ("notification_service", "GET", "/api/v1/notifications"): VIEWER,
    ("notification_service", "GET", "/api/v1/notifications/{notification_id}"): VIEWER,
    # Merged in with integration keys, PagerDuty events, escalation policies, channels, live updates, audit.
    ("alert_ingestion", "GET", "/api/v1/integration-keys"): ADMIN,
    ("alert_ingestion", "POST", "/api/v1/integration-keys"): ADMIN,
    ("alert_ingestion", "GET", "/api/v1/integration-keys/{key_id}"): ADMIN,
    ("alert_ingestion", "PATCH", "/api/v1/integration-keys/{key_id}"): ADMIN,
    ("alert_ingestion", "POST", "/api/v1/integration-keys/{key_id}/revoke"): ADMIN,
    ("alert_ingestion", "GET", "/api/v1/audit/ingestion"): ADMIN,
    ("alert_ingestion", "POST", "/v2/enqueue"): PUBLIC,
    ("incident_management", "GET", "/api/v1/escalations"): VIEWER,
    ("incident_management", "GET", "/api/v1/audit/incidents"): ADMIN,
    ("incident_management", "GET", "/api/v1/incidents/events"): VIEWER,
    ("incident_management", "GET", "/api/v1/webhook-subscriptions"): VIEWER,
    ("incident_management", "POST", "/api/v1/webhook-subscriptions"): ADMIN,
    ("incident_management", "GET", "/api/v1/webhook-subscriptions/{subscription_id}"): VIEWER,
    ("incident_management", "PATCH", "/api/v1/webhook-subscriptions/{subscription_id}"): ADMIN,
    ("incident_management", "DELETE", "/api/v1/webhook-subscriptions/{subscription_id}"): ADMIN,
    ("incident_management", "POST", "/api/v1/webhook-subscriptions/{subscription_id}/rotate-secret"): ADMIN,
    ("incident_management", "POST", "/api/v1/webhook-subscriptions/{subscription_id}/test"): ADMIN,
    ("incident_management", "GET", "/api/v1/webhook-subscriptions/{subscription_id}/deliveries"): VIEWER,
    ("oncall_service", "POST", "/api/v1/users/{user_id}/contact-methods/{method_id}/test"): SELF,
    ("oncall_service", "POST", "/api/v1/users/{user_id}/contact-methods/{method_id}/verification"): SELF,
    ("oncall_service", "POST", "/api/v1/users/{user_id}/contact-methods/{method_id}/verification/confirm"): SELF,
    ("oncall_service", "GET", "/internal/v1/paging-targets"): INTERNAL,
    ("oncall_service", "GET", "/api/v1/oncall/chain"): VIEWER,
    ("oncall_service", "GET", "/api/v1/escalation-policies/{policy_id}/chain"): VIEWER,
    ("oncall_service", "GET", "/api/v1/audit/oncall"): ADMIN,
    ("oncall_service", "GET", "/api/v1/escalation-policies"): VIEWER,
    ("oncall_service", "POST", "/api/v1/escalation-policies"): ADMIN,
    ("oncall_service", "GET", "/api/v1/escalation-policies/{policy_id}"): VIEWER,
    ("oncall_service", "PUT", "/api/v1/escalation-policies/{policy_id}"): ADMIN,
    ("oncall_service", "DELETE", "/api/v1/escalation-policies/{policy_id}"): ADMIN,
    ("oncall_service", "GET", "/api/v1/service-routes"): VIEWER,
    ("oncall_service", "POST", "/api/v1/service-routes"): ADMIN,
    ("oncall_service", "GET", "/api/v1/service-routes/{route_id}"): VIEWER,
    ("oncall_service", "PUT", "/api/v1/service-routes/{route_id}"): ADMIN,
    ("oncall_service", "DELETE", "/api/v1/service-routes/{route_id}"): ADMIN,
    ("oncall_service", "GET", "/api/v1/users/{user_id}/notification-rules"): VIEWER,
    ("oncall_service", "POST", "/api/v1/users/{user_id}/notification-rules"): SELF,
    ("oncall_service", "GET", "/api/v1/users/{user_id}/notification-rules/{rule_id}"): VIEWER,
    ("oncall_service", "PUT", "/api/v1/users/{user_id}/notification-rules/{rule_id}"): SELF,
    ("oncall_service", "DELETE", "/api/v1/users/{user_id}/notification-rules/{rule_id}"): SELF,
    ("oncall_service", "GET", "/api/v1/schedules/{schedule_id}/calendar-feeds"): VIEWER,
    ("oncall_service", "POST", "/api/v1/schedules/{schedule_id}/calendar-feeds"): RESPONDER,
    ("oncall_service", "DELETE", "/api/v1/schedules/{schedule_id}/calendar-feeds/{feed_id}"): RESPONDER,
    ("oncall_service", "GET", "/api/v1/users/{user_id}/calendar-feeds"): VIEWER,
    ("oncall_service", "POST", "/api/v1/users/{user_id}/calendar-feeds"): SELF,
    ("oncall_service", "DELETE", "/api/v1/users/{user_id}/calendar-feeds/{feed_id}"): SELF,
    ("oncall_service", "GET", "/api/v1/oncall/calendars/{token}.ics"): PUBLIC,
    ("oncall_service", "GET", "/api/v1/schedules/{schedule_id}/swaps"): VIEWER,
    ("oncall_service", "POST", "/api/v1/schedules/{schedule_id}/swaps"): RESPONDER,
    ("oncall_service", "GET", "/api/v1/schedules/{schedule_id}/swaps/{swap_id}"): VIEWER,
    ("oncall_service", "DELETE", "/api/v1/schedules/{schedule_id}/swaps/{swap_id}"): RESPONDER,
    ("oncall_service", "POST", "/api/v1/schedules/{schedule_id}/swaps/{swap_id}/take"): RESPONDER,
    ("oncall_service", "GET", "/api/v1/users/{user_id}/paging-preferences"): VIEWER,
    ("oncall_service", "PUT", "/api/v1/users/{user_id}/paging-preferences"): RESPONDER,
    ("notification_service", "POST", "/api/v1/contact-messages"): INTERNAL,
    ("notification_service", "POST", "/api/v1/recipients/check"): INTERNAL,
}
CALLERS = ("nobody", VIEWER, RESPONDER, ADMIN, "service")
RANK = {VIEWER: 0, RESPONDER: 1, ADMIN: 2}


def allowed(policy, caller):
    """True when `caller` may call an operation with `policy` (for UNKNOWN ids: nobody's own record)."""
    if policy == PUBLIC:
        return True
    if policy == KEYED:
        return caller in ("nobody", "service")
    if caller == "nobody":
        return False
    if caller == "service":
        return True  # services act as admins, and alone call internal operations
    if policy == INTERNAL:
        return False
    return RANK[caller] >= RANK[ADMIN if policy == SELF else policy]


def operations(stack):
    found = []
    for service in SERVICES:
        document = requests.get(f"{stack.url(service)}/docs/openapi.json", timeout=10).json()
        for path, item in document["paths"].items():
            for method, operation in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    found.append((service, method.upper(), path, operation))
    return found


@pytest.fixture(scope="module")
def callers(auth_stack):
    """Headers of each kind of caller: none, a viewer's, a responder's and the admin's token, a service."""
    oncall = auth_stack.url("oncall_service")
    admin = {"Authorization": f"Bearer {ADMIN_API_KEY}"}
    headers = {"nobody": {}, ADMIN: admin, "service": ServiceCredential(SERVICE_SECRET, "tests").headers()}
    for role in (VIEWER, RESPONDER):
        email = f"walk-{role}@example.com"
        user = requests.post(
            f"{oncall}/api/v1/users", json={"name": role, "email": email, "role": role}, headers=admin, timeout=10
        )
        if user.status_code == 409:  # a second run on the same stack
            user = requests.get(f"{oncall}/api/v1/users", params={"email": email}, headers=admin, timeout=10).json()[
                "items"
            ][0]
        else:
            assert user.status_code == 201, user.text
            user = user.json()
        token = requests.post(
            f"{oncall}/api/v1/tokens", json={"name": f"walk-{role}", "user_id": user["id"]}, headers=admin, timeout=10
        )
        assert token.status_code == 201, token.text
        headers[role] = {"Authorization": f"Bearer {token.json()['token']}"}
    return headers


def test_every_operation_is_in_the_table(auth_stack):
    found = {(service, method, path) for service, method, path, _ in operations(auth_stack)}
    assert found - EXPECTED.keys() == set(), "operations without an expected policy: decide who may call them"
    assert EXPECTED.keys() - found == set(), "operations in the table that no document has any more"


def _needs_query(operation):
    return any(p.get("in") == "query" and p.get("required") for p in operation.get("parameters", []))


def test_every_operation_answers_each_caller_as_its_policy_says(auth_stack, callers):
    wrong = []
    for service, method, path, operation in operations(auth_stack):
        policy = EXPECTED.get((service, method, path))
        url = auth_stack.url(service) + _with_ids(path)
        body = {} if "requestBody" in operation else None
        for caller in CALLERS:
            # Streamed: the live event stream never ends, so its body is read only when refused (short JSON).
            response = requests.request(method, url, json=body, headers=callers[caller], timeout=10, stream=True)
            status = response.status_code
            if status < 400 and path.endswith("/events"):
                response.close()
            if allowed(policy, caller):
                ok = status not in (401, 403) and status < 500
                needs_query = _needs_query(operation) or (service, method, path) in NEEDS_A_QUERY
                if ok and method == "GET" and "{" not in path and not needs_query:
                    ok = 200 <= status < 300
            elif caller == "nobody" or policy == KEYED:
                ok = status == 401 and response.json().get("message")
            else:
                ok = status == 403 and response.json().get("message")
            if not ok:
                wrong.append(f"{method} {path} ({service}, {policy}) as {caller}: {status} {response.text[:120]}")
    assert not wrong, "\n".join(wrong)


def _with_ids(path):
    parts = []
    for part in path.split("/"):
        parts.append(UNKNOWN if part.startswith("{") else part)
    return "/".join(parts)


def test_the_documents_say_who_may_call_each_operation(auth_stack):
    """With auth on, each operation documents its credentials, its 401/403 and the role the table expects."""
    wrong = []
    for service, method, path, operation in operations(auth_stack):
        policy = EXPECTED.get((service, method, path))
        if policy in (PUBLIC, KEYED):
            documented = ("security" in operation, operation.get("x-required-role"))
            expected = (False, None)
        else:
            role = None if policy == INTERNAL else (VIEWER if policy == SELF else policy)
            schemes = [["serviceToken"]] if policy == INTERNAL else [["bearerAuth"], ["sessionCookie"]]
            documented = (
                [sorted(requirement) for requirement in operation.get("security", [])],
                operation.get("x-required-role"),
                {"401", "403"} <= operation["responses"].keys(),
            )
            expected = (schemes, role, True)
        if documented != expected:
            wrong.append(f"{method} {path} ({service}): {documented}, expected {expected}")
    assert not wrong, "\n".join(wrong)
