"""Apps with auth on: the on-call service (which owns users, sessions and tokens) and its first admin."""

import pytest

import oncall_service

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "correct horse battery staple"
ADMIN_API_KEY = "ipt_admin-key-from-the-settings-0123456789"
SERVICE_SECRET = "a-test-service-secret-0123456789"
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

    def make(role="responder", email=None, password="a long enough password"):  # noqa: S107 (a test user)
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
