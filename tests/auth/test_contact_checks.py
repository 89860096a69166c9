"""Testing and verifying a contact method (SELF policy): its owner, whatever their role, or an admin; another
responder gets 403 before anything is sent. The notification service is real, over HTTP, with auth on."""

import pytest

import oncall_service
from notification_service import create_app as create_notification_app
from tests.auth.conftest import ADMIN_API_KEY, AUTH_ON, sign_in

NTFY = "ntfy://ntfy.example.com/viewer-topic"


@pytest.fixture
def platform(make_app, live_server, tmp_path):
    notifications = make_app(create_notification_app, **AUTH_ON, NOTIFICATION_LOG_FILE=str(tmp_path / "sent.log"))
    return make_app(oncall_service.create_app, **AUTH_ON, NOTIFICATION_SERVICE_URL=live_server(notifications))


@pytest.fixture
def admin(platform):
    client = platform.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {ADMIN_API_KEY}"
    return client


def person(platform, admin, role):
    """A signed-in user with a log and an (unverified) Apprise contact method: (client, csrf headers, paths)."""
    password = "a long enough password"  # pragma: allowlist secret
    body = {"name": role.title(), "email": f"{role}@example.com", "role": role, "password": password}
    user = admin.post("/api/v1/users", json=body).json
    methods = f"/api/v1/users/{user['id']}/contact-methods"
    log = admin.post(methods, json={"type": "log", "address": role}).json
    push = admin.post(methods, json={"type": "apprise", "address": NTFY}).json
    client = platform.test_client()
    headers = {"X-CSRF-Token": sign_in(client, user["email"], password).json["csrf_token"]}
    return client, headers, {"log": f"{methods}/{log['id']}", "push": f"{methods}/{push['id']}"}


def test_owner_tests_and_asks_a_code_whatever_their_role(platform, admin):
    client, headers, paths = person(platform, admin, "viewer")
    tested = client.post(f"{paths['log']}/test", headers=headers)
    assert (tested.status_code, tested.json["delivery"]) == (200, "sent"), tested.json
    early = client.post(f"{paths['push']}/verification/confirm", json={"code": "123456"}, headers=headers)
    assert early.status_code == 409, early.json  # let through: no code was sent yet
    sent = client.post(f"{paths['push']}/verification", headers=headers)
    assert sent.status_code == 202, sent.json


def test_another_responder_gets_403_and_nothing_is_sent(platform, admin, sql):
    _, _, victim = person(platform, admin, "viewer")
    client, headers, _ = person(platform, admin, "responder")
    before = sql("SELECT count(*) FROM notifications")
    for path, body in (
        (f"{victim['log']}/test", None),
        (f"{victim['push']}/verification", None),
        (f"{victim['push']}/verification/confirm", {"code": "123456"}),
    ):
        refused = client.post(path, json=body, headers=headers)
        assert (refused.status_code, refused.json["message"]) == (
            403,
            "only admins act on other users and their contact methods: this one is not yours",
        ), path
    assert sql("SELECT count(*) FROM notifications") == before
    assert sql("SELECT count(*) FROM contact_methods WHERE verification_digest IS NOT NULL") == [(0,)]


def test_an_admin_tests_anyones(platform, admin):
    _, _, victim = person(platform, admin, "responder")
    tested = admin.post(f"{victim['log']}/test")
    assert (tested.status_code, tested.json["delivery"]) == (200, "sent"), tested.json
