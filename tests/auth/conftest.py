"""Apps with auth on: the on-call service (which owns users, sessions and tokens) and its first admin."""

import pytest

import oncall_service

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "correct horse battery staple"  # pragma: allowlist secret
ADMIN_API_KEY = "ipt_admin-key-from-the-settings-0123456789"  # pragma: allowlist secret
TEST_PASSWORD = "a long enough password"  # pragma: allowlist secret
SERVICE_SECRET = "a-test-service-secret-0123456789"  # pragma: allowlist secret
AUTH_ON = {
    "AUTH_REQUIRED": True,
    "SERVICE_SECRET": SERVICE_SECRET,
    "ADMIN_EMAIL": ADMIN_EMAIL,
    "ADMIN_PASSWORD": ADMIN_PASSWORD,
    "ADMIN_API_KEY": ADMIN_API_KEY,
}


@pytest.fixture
def oncall(make_app):
    """The on-call app with auth on and the settings' admin."""
    return make_app(oncall_service.create_app, **AUTH_ON)


@pytest.fixture
def admin(oncall):
    """A test client of that app with the admin's API token."""
    client = oncall.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {ADMIN_API_KEY}"
    return client


@pytest.fixture
def make_user(admin):
    """Factory: a user with a password; returns (user, password)."""

    def make(role="responder", email=None, password=TEST_PASSWORD):
        email = email or f"{role}@example.com"
        response = admin.post(
            "/api/v1/users", json={"name": role.title(), "email": email, "role": role, "password": password}
        )
        assert response.status_code == 201, response.json
        return response.json, password

    return make


def sign_in(client, email, password):
    """Sign a test client in; returns the answer (the cookie stays in the client)."""
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


@pytest.fixture
def make_token(oncall):
    """Factory: an API token of a user (signed in for it); returns the token's answer with its value."""

    def make(email, password, **fields):
        client = oncall.test_client()
        csrf = sign_in(client, email, password).json["csrf_token"]
        response = client.post("/api/v1/tokens", json={"name": "script", **fields}, headers={"X-CSRF-Token": csrf})
        assert response.status_code == 201, response.json
        return response.json

    return make


@pytest.fixture(scope="session")
def auth_stack(make_database):
    """The four services under gunicorn with auth on, as `make up` runs them (ports and state of their own)."""
    from nativestack import Stack, components
    from tests.conftest import LOCAL_RECEIVERS, STACK_DIR, STACK_PORT_OFFSET

    services = [components.by_name()[name] for name in SERVICES]
    native = Stack(
        STACK_DIR.with_name(STACK_DIR.name + "-auth"),
        port_offset=STACK_PORT_OFFSET + 300,
        database_url=make_database("auth_stack"),
        components=services,
        settings={
            **{key: str(value).lower() if isinstance(value, bool) else value for key, value in AUTH_ON.items()},
            "AUTH_CACHE_SECONDS": "1",
            "WEBHOOK_ALLOWED_HOSTS": LOCAL_RECEIVERS,
        },
    )
    native.up(timeout=90)
    yield native
    native.down()


SERVICES = ("alert_ingestion", "incident_management", "oncall_service", "notification_service")
