"""API tokens: shown once, stored hashed, at most their user's role, last use recorded, revocable."""

import datetime as dt

import pytest

from tests.auth.conftest import ADMIN_API_KEY, sign_in


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_shown_once_and_stored_hashed(oncall, admin, make_user, make_token, sql):
    user, password = make_user("responder")
    created = make_token(user["email"], password, name="deploy")
    token = created["token"]
    assert token.startswith("ipt_") and len(token) > 40
    assert (created["role"], created["user_id"], created["prefix"]) == ("responder", user["id"], token[:10])
    listed = admin.get(f"/api/v1/tokens?user_id={user['id']}").json["items"]
    assert [t["name"] for t in listed] == ["deploy"]
    assert "token" not in listed[0] and "token" not in admin.get(f"/api/v1/tokens/{created['id']}").json
    assert sql("SELECT count(*) FROM api_tokens WHERE token_hash = %s OR prefix = %s", (token, token)) == [(0,)]
    me = oncall.test_client().get("/api/v1/auth/me", headers=bearer(token)).json
    assert me["principal"] == {
        "kind": "token",
        "id": created["id"],
        "name": "deploy",
        "email": user["email"],
        "role": "responder",
    }


def test_last_use_is_recorded(oncall, make_user, make_token):
    user, password = make_user("viewer")
    created = make_token(user["email"], password)
    assert created["last_used_at"] is None
    client = oncall.test_client()
    assert client.get("/api/v1/users", headers=bearer(created["token"])).status_code == 200
    used = client.get(f"/api/v1/tokens/{created['id']}", headers=bearer(created["token"])).json
    assert dt.datetime.fromisoformat(used["last_used_at"]) > dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)


def test_a_token_has_at_most_its_users_role(oncall, admin, make_user, make_token):
    user, password = make_user("responder")
    client = oncall.test_client()
    csrf = sign_in(client, user["email"], password).json["csrf_token"]
    refused = client.post("/api/v1/tokens", json={"name": "x", "role": "admin"}, headers={"X-CSRF-Token": csrf})
    assert (refused.status_code, refused.json["errors"]["json"]["role"]) == (
        422,
        ["A token has at most its user's role (responder)."],
    )
    viewer_token = make_token(user["email"], password, role="viewer")["token"]
    assert client.get("/api/v1/schedules", headers=bearer(viewer_token)).status_code == 200
    override = client.post(
        "/api/v1/schedules/00000000-0000-4000-8000-000000000000/overrides", json={}, headers=bearer(viewer_token)
    )
    assert (override.status_code, override.json["message"]) == (
        403,
        "this needs the responder role; script has the role viewer",
    )
    # A user demoted later: their tokens drop to the user's role at once.
    admin_token = make_token(*_admin_user(make_user))["token"]
    assert client.get("/api/v1/teams", headers=bearer(admin_token)).status_code == 200
    admins = admin.get("/api/v1/users?role=admin&search=boss").json["items"]
    admin.patch(f"/api/v1/users/{admins[0]['id']}", json={"role": "viewer"})
    assert client.post("/api/v1/teams", json={"name": "t"}, headers=bearer(admin_token)).status_code == 403


def _admin_user(make_user):
    user, password = make_user("admin", email="boss@example.com")
    return user["email"], password


def test_revoking_a_token_stops_it_at_once(oncall, make_user, make_token):
    user, password = make_user("viewer")
    created = make_token(user["email"], password)
    client = oncall.test_client()
    assert client.get("/api/v1/users", headers=bearer(created["token"])).status_code == 200
    revoked = client.delete(f"/api/v1/tokens/{created['id']}", headers=bearer(created["token"]))
    assert (revoked.status_code, revoked.json["revoked_at"] is not None) == (200, True)
    refused = client.get("/api/v1/users", headers=bearer(created["token"]))
    assert (refused.status_code, refused.json["message"]) == (401, "invalid, expired or revoked API token")


def test_expired_tokens_and_tokens_of_deactivated_users_stop(oncall, admin, make_user, make_token, sql):
    user, password = make_user("viewer")
    created = make_token(user["email"], password)
    client = oncall.test_client()
    sql("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = %s", (created["id"],))
    assert client.get("/api/v1/users", headers=bearer(created["token"])).status_code == 401
    other = make_token(user["email"], password)
    admin.delete(f"/api/v1/users/{user['id']}")
    assert client.get("/api/v1/users", headers=bearer(other["token"])).status_code == 401
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    assert admin.post("/api/v1/tokens", json={"name": "x", "expires_at": past}).status_code == 422


def test_users_see_and_revoke_only_their_own_tokens(oncall, admin, make_user, make_token):
    alice, alice_password = make_user("responder", email="alice@example.com")
    bob, bob_password = make_user("responder", email="bob@example.com")
    alices = make_token(alice["email"], alice_password)
    bobs = make_token(bob["email"], bob_password)["token"]
    client = oncall.test_client()
    assert client.get(f"/api/v1/tokens/{alices['id']}", headers=bearer(bobs)).status_code == 404
    assert client.delete(f"/api/v1/tokens/{alices['id']}", headers=bearer(bobs)).status_code == 404
    assert client.get(f"/api/v1/tokens?user_id={alice['id']}", headers=bearer(bobs)).status_code == 403
    assert [t["user_id"] for t in client.get("/api/v1/tokens", headers=bearer(bobs)).json["items"]] == [bob["id"]]
    everyone = {t["user_id"] for t in admin.get("/api/v1/tokens").json["items"]}
    assert {alice["id"], bob["id"]} <= everyone
    for_bob = admin.post("/api/v1/tokens", json={"name": "made by admin", "user_id": bob["id"], "role": "viewer"})
    assert (for_bob.status_code, for_bob.json["user_id"]) == (201, bob["id"])
    mine = client.post("/api/v1/tokens", json={"name": "x", "user_id": alice["id"]}, headers=bearer(bobs))
    assert mine.status_code == 403


@pytest.mark.parametrize(
    "header", ["Bearer ipt_not-a-token", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer ipk_unknown"]
)
def test_bad_bearer_credentials_are_401(oncall, header):
    response = oncall.test_client().get("/api/v1/users", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json["message"]


def test_the_settings_api_key_is_the_admins_and_a_new_one_replaces_it(make_app, oncall, sql):
    import oncall_service
    from tests.auth.conftest import AUTH_ON

    assert oncall.test_client().get("/api/v1/users", headers=bearer(ADMIN_API_KEY)).status_code == 200
    ((source, role),) = sql("SELECT source, role FROM api_tokens")
    assert (source, role) == ("settings", "admin")
    rotated = make_app(oncall_service.create_app, **{**AUTH_ON, "ADMIN_API_KEY": "ipt_a-rotated-admin-key-9876543210"})
    client = rotated.test_client()
    assert client.get("/api/v1/users", headers=bearer(ADMIN_API_KEY)).status_code == 401
    assert client.get("/api/v1/users", headers=bearer("ipt_a-rotated-admin-key-9876543210")).status_code == 200
