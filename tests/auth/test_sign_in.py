"""Signing in with e-mail and password: cookie session, CSRF, expiry, lockout, logout, password change."""

import datetime as dt

import pytest

import oncall_service
from servicekit.config import ConfigError
from tests.auth.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, AUTH_ON, sign_in


@pytest.fixture
def client(oncall):
    return oncall.test_client()


def _cookie_header(response):
    (header,) = [v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("ip_session=")]
    return header


def test_sign_in_sets_an_httponly_samesite_cookie_and_gives_the_csrf_token(client):
    response = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert response.status_code == 200, response.json
    assert (response.json["user"]["email"], response.json["user"]["role"]) == (ADMIN_EMAIL, "admin")
    assert len(response.json["csrf_token"]) >= 32
    assert "password" not in str(response.json["user"])
    cookie = _cookie_header(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert response.headers["Cache-Control"] == "no-store"
    me = client.get("/api/v1/auth/me").json
    assert me["principal"] == {
        "kind": "user",
        "id": me["principal"]["id"],
        "name": "Admin",
        "email": ADMIN_EMAIL,
        "role": "admin",
    }
    assert me["csrf_token"] == response.json["csrf_token"]


def test_secure_cookies_behind_https(make_app):
    client = make_app(oncall_service.create_app, **AUTH_ON, SESSION_COOKIE_SECURE=True).test_client()
    assert "Secure" in _cookie_header(sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD))


@pytest.mark.parametrize(
    ("email", "password"),
    [(ADMIN_EMAIL, "wrong password!"), ("nobody@example.com", ADMIN_PASSWORD), (ADMIN_EMAIL.upper(), "x")],
)
def test_a_wrong_email_or_password_is_401_saying_neither_which(client, email, password):
    response = sign_in(client, email, password)
    assert (response.status_code, response.json["message"]) == (401, "wrong e-mail or password")
    assert "Set-Cookie" not in response.headers


def test_without_a_credential_the_api_is_401_and_health_stays_open(client):
    response = client.get("/api/v1/users")
    assert response.status_code == 401
    assert response.json["message"].startswith("authentication required")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/health").status_code == 200
    assert client.get("/docs/openapi.json").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_state_changes_with_the_cookie_need_the_csrf_header(client, sql):
    csrf = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD).json["csrf_token"]
    body = {"name": "Carol", "email": "carol@example.com"}
    missing = client.post("/api/v1/users", json=body)
    assert (missing.status_code, missing.json["message"]) == (
        403,
        "CSRF check failed: send the X-CSRF-Token header given at sign-in",
    )
    wrong = client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": csrf[:-2] + "xx"})
    assert wrong.status_code == 403
    assert sql("SELECT count(*) FROM users WHERE email = 'carol@example.com'") == [(0,)]
    assert client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.get("/api/v1/users").status_code == 200  # reading needs no CSRF header


def test_a_session_ends_at_its_expiry_and_when_idle(client, sql):
    sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert client.get("/api/v1/auth/me").status_code == 200
    sql("UPDATE user_sessions SET created_at = now() - interval '13 hours', expires_at = now() - interval '1 second'")
    expired = client.get("/api/v1/auth/me")
    assert (expired.status_code, expired.json["message"]) == (401, "session expired or signed out: sign in again")

    sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    sql("UPDATE user_sessions SET last_seen_at = now() - interval '2 hours 1 second' WHERE expires_at > now()")
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_session_in_use_stays_alive(client, sql):
    sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    sql("UPDATE user_sessions SET last_seen_at = now() - interval '1 hour'")
    assert client.get("/api/v1/auth/me").status_code == 200
    ((seen,),) = sql("SELECT now() - last_seen_at < interval '1 minute' FROM user_sessions")
    assert seen


def test_repeated_failures_lock_the_address_out_then_it_may_try_again(client, sql):
    for _ in range(5):
        assert sign_in(client, ADMIN_EMAIL, "guess guess guess").status_code == 401
    locked = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)  # even the right password: no more guessing
    assert locked.status_code == 429
    assert locked.json["message"].startswith(f"too many failed sign-ins for {ADMIN_EMAIL}: try again in")
    assert 1 <= int(locked.headers["Retry-After"]) <= 301
    assert sign_in(client, ADMIN_EMAIL.upper(), ADMIN_PASSWORD).status_code == 429  # whatever the letter case
    sql("UPDATE login_failures SET failed_at = failed_at - interval '5 minutes'")
    assert sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 200
    assert sql("SELECT count(*) FROM login_failures") == [(0,)]  # a success forgets the failures


def test_unknown_addresses_are_locked_out_too(client):
    for _ in range(5):
        sign_in(client, "ghost@example.com", "guess guess guess")
    assert sign_in(client, "ghost@example.com", "guess guess guess").status_code == 429


def test_logout_ends_the_session_and_clears_the_cookie(oncall, client):
    sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    stolen = client.get_cookie("ip_session").value
    response = client.post("/api/v1/auth/logout")
    assert response.status_code == 204
    assert "ip_session=;" in _cookie_header(response)
    replay = oncall.test_client()
    replay.set_cookie("ip_session", stolen)
    assert replay.get("/api/v1/auth/me").status_code == 401
    assert client.post("/api/v1/auth/logout").status_code == 204  # twice changes nothing


def test_change_password(oncall, client, make_user):
    user, password = make_user("viewer")
    other = oncall.test_client()
    sign_in(other, user["email"], password)
    csrf = sign_in(client, user["email"], password).json["csrf_token"]
    change = lambda current, new: client.post(  # noqa: E731
        "/api/v1/auth/password", json={"current_password": current, "new_password": new}, headers={"X-CSRF-Token": csrf}
    )
    assert change("not the password", "a brand new password").status_code == 401
    short = change(password, "short")
    assert (short.status_code, short.json["errors"]["json"]["new_password"]) == (
        422,
        ["A password has at least 12 characters."],
    )
    assert change(password, "a brand new password").status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 200  # this session stays
    assert other.get("/api/v1/auth/me").status_code == 401  # the others end
    assert sign_in(oncall.test_client(), user["email"], password).status_code == 401
    assert sign_in(oncall.test_client(), user["email"], "a brand new password").status_code == 200


def test_an_admin_resets_a_password_and_deactivating_ends_sessions(oncall, admin, make_user):
    user, password = make_user("responder")
    client = oncall.test_client()
    sign_in(client, user["email"], password)
    too_short, reset = {"password": "short"}, {"password": "reset by the admin"}  # pragma: allowlist secret
    assert admin.patch(f"/api/v1/users/{user['id']}", json=too_short).status_code == 422
    assert admin.patch(f"/api/v1/users/{user['id']}", json=reset).status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 401
    sign_in(client, user["email"], "reset by the admin")
    assert admin.delete(f"/api/v1/users/{user['id']}").status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 401
    assert sign_in(client, user["email"], "reset by the admin").status_code == 401


def test_users_change_their_own_name_and_time_zone_only(oncall, make_user):
    user, password = make_user("viewer")
    other, _ = make_user("responder")
    client = oncall.test_client()
    headers = {"X-CSRF-Token": sign_in(client, user["email"], password).json["csrf_token"]}
    mine = client.patch(f"/api/v1/users/{user['id']}", json={"timezone": "Europe/Berlin", "name": "V"}, headers=headers)
    assert (mine.status_code, mine.json["timezone"]) == (200, "Europe/Berlin")
    promote = client.patch(f"/api/v1/users/{user['id']}", json={"role": "admin"}, headers=headers)
    assert (promote.status_code, promote.json["message"]) == (
        403,
        "only admins change role: you may change your name and time zone",
    )
    assert client.patch(f"/api/v1/users/{other['id']}", json={"name": "X"}, headers=headers).status_code == 403
    method = {"type": "email", "address": "v@example.com"}
    assert client.post(f"/api/v1/users/{user['id']}/contact-methods", json=method, headers=headers).status_code == 201
    assert client.post(f"/api/v1/users/{other['id']}/contact-methods", json=method, headers=headers).status_code == 403


def test_the_first_admin_comes_from_the_settings_only(make_app, sql):
    make_app(oncall_service.create_app, AUTH_REQUIRED=True, SERVICE_SECRET="s" * 32)
    assert sql("SELECT count(*) FROM users") == [(0,)]  # no ADMIN_PASSWORD, no admin: never a default password
    with pytest.raises(ConfigError, match="ADMIN_PASSWORD must have at least 12 characters"):
        make_app(oncall_service.create_app, **{**AUTH_ON, "ADMIN_PASSWORD": "admin"})  # pragma: allowlist secret
    with pytest.raises(ConfigError, match="SERVICE_SECRET"):
        make_app(oncall_service.create_app, **{**AUTH_ON, "SERVICE_SECRET": ""})


def test_a_changed_admin_password_survives_a_restart(make_app, sql):
    client = make_app(oncall_service.create_app, **AUTH_ON).test_client()
    csrf = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD).json["csrf_token"]
    body = {"current_password": ADMIN_PASSWORD, "new_password": "changed after start-up"}  # pragma: allowlist secret
    assert client.post("/api/v1/auth/password", json=body, headers={"X-CSRF-Token": csrf}).status_code == 204
    restarted = make_app(oncall_service.create_app, **AUTH_ON).test_client()
    assert sign_in(restarted, ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 401
    assert sign_in(restarted, ADMIN_EMAIL, "changed after start-up").status_code == 200
    ((hashed,),) = sql("SELECT password_hash FROM users WHERE email = %s", (ADMIN_EMAIL,))
    assert hashed.startswith("$argon2id$") and "changed" not in hashed


def test_a_scheduled_person_named_as_admin_becomes_the_admin(make_app, sql):
    client = make_app(oncall_service.create_app).test_client()  # auth off: the lab
    body = {
        "team": "t",
        "rotation_type": "weekly",
        "members": [{"name": "Ann", "email": ADMIN_EMAIL, "role": "primary"}],
    }
    assert client.post("/api/v1/schedules", json=body).status_code == 201
    on = make_app(oncall_service.create_app, **AUTH_ON).test_client()
    assert sign_in(on, ADMIN_EMAIL, ADMIN_PASSWORD).json["user"]["role"] == "admin"
    assert sql("SELECT count(*) FROM users") == [(1,)]
    assert dt.datetime.now(dt.UTC)  # the same record: one user per e-mail
