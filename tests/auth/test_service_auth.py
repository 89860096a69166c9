"""servicekit.auth in a service that does not own the credentials: policies, verification over HTTP with a
short cache (revocation within seconds), the service credential, and AUTH_REQUIRED=false."""

import time

import itsdangerous
import pytest
from flask.views import MethodView

from servicekit import auth, create_service_app
from servicekit.auth.service import HEADER, ServiceCredential
from servicekit.blueprint import Blueprint
from servicekit.http import ServiceClient
from tests.auth.conftest import ADMIN_API_KEY, ADMIN_EMAIL, ADMIN_PASSWORD, AUTH_ON, SERVICE_SECRET, sign_in


def probe_app(db_url, **config):
    """A service with one view per policy; each answers who called and the actor it would record."""
    app, api = create_service_app("probe", "Probe", {}, {"DATABASE_URL": db_url, "BACKGROUND_JOBS": False, **config})
    blp = Blueprint("probe", __name__, url_prefix="/api/v1/probe")

    def answer():
        return {"principal": auth.principal().public(), "actor": auth.actor("typed-in")}

    @blp.route("/open")
    class Open(MethodView):
        @auth.public
        def get(self):
            return answer()

    @blp.route("/read")
    class Read(MethodView):
        @auth.role("viewer")
        def get(self):
            return answer()

    @blp.route("/act")
    class Act(MethodView):
        @auth.role("responder")
        def post(self):
            return answer()

    @blp.route("/internal")
    class Internal(MethodView):
        @auth.internal
        def post(self):
            return answer()

    api.register_blueprint(blp)
    auth.check_policies(app)
    return app


@pytest.fixture
def oncall_url(oncall, live_server):
    return live_server(oncall)


@pytest.fixture
def probe(db_url, oncall_url):
    return probe_app(db_url, **{**AUTH_ON, "ONCALL_SERVICE_URL": oncall_url, "AUTH_CACHE_SECONDS": 1.0}).test_client()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_view_without_a_policy_stops_start_up(db_url):
    app, api = create_service_app("open", "Open", {}, {"DATABASE_URL": db_url})
    blp = Blueprint("open", __name__, url_prefix="/api/v1/open")

    @blp.route("")
    class Forgotten(MethodView):
        def delete(self):
            return {}

    api.register_blueprint(blp)
    with pytest.raises(auth.MissingPolicy, match=r"DELETE /api/v1/open \(open.Forgotten\)"):
        auth.check_policies(app)


def test_tokens_are_checked_by_the_owning_service(probe):
    read = probe.get("/api/v1/probe/read", headers=bearer(ADMIN_API_KEY))
    assert read.status_code == 200, read.json
    assert read.json == {
        "principal": {
            "kind": "token",
            "id": read.json["principal"]["id"],
            "name": "admin-api-key",
            "email": ADMIN_EMAIL,
            "role": "admin",
        },
        "actor": "admin-api-key",
    }
    assert probe.get("/api/v1/probe/read").status_code == 401
    assert probe.get("/api/v1/probe/read", headers=bearer("ipt_forged")).status_code == 401
    assert probe.get("/api/v1/probe/open").json["principal"]["kind"] == "anonymous"


def test_a_revoked_token_stops_within_the_cache_time(oncall_url, probe, make_user, make_token):
    user, password = make_user("responder")
    created = make_token(user["email"], password)
    assert probe.post("/api/v1/probe/act", headers=bearer(created["token"])).status_code == 200
    revoked = ServiceClient(oncall_url).delete(f"/api/v1/tokens/{created['id']}", headers=bearer(created["token"]))
    assert revoked.status_code == 200
    started = time.monotonic()
    while probe.post("/api/v1/probe/act", headers=bearer(created["token"])).status_code == 200:
        assert time.monotonic() - started < 3, "the revoked token still works after 3 s (AUTH_CACHE_SECONDS=1)"
        time.sleep(0.1)
    assert probe.post("/api/v1/probe/act", headers=bearer(created["token"])).status_code == 401


def test_a_session_from_the_owning_service_works_with_its_csrf_token(oncall, probe):
    client = oncall.test_client()
    csrf = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD).json["csrf_token"]
    probe.set_cookie("ip_session", client.get_cookie("ip_session").value)
    assert probe.get("/api/v1/probe/read").json["actor"] == ADMIN_EMAIL
    assert probe.post("/api/v1/probe/act").status_code == 403  # no CSRF header
    assert probe.post("/api/v1/probe/act", headers={"X-CSRF-Token": "guessed"}).status_code == 403
    assert probe.post("/api/v1/probe/act", headers={"X-CSRF-Token": csrf}).status_code == 200


def test_roles_are_held_to_the_views_policy(probe, make_user, make_token):
    viewer, password = make_user("viewer")
    token = make_token(viewer["email"], password)["token"]
    assert probe.get("/api/v1/probe/read", headers=bearer(token)).status_code == 200
    refused = probe.post("/api/v1/probe/act", headers=bearer(token))
    assert (refused.status_code, refused.json["message"]) == (
        403,
        "this needs the responder role; script has the role viewer",
    )
    internal = probe.post("/api/v1/probe/internal", headers=bearer(ADMIN_API_KEY))
    assert (internal.status_code, internal.json["message"]) == (
        403,
        "internal endpoint: only the platform's services call it",
    )


def test_services_call_each_other_with_the_signed_service_credential(db_url, probe, live_server):
    url = live_server(probe.application)
    caller = probe_app(db_url, **AUTH_ON)
    with caller.app_context():  # the client adds the app's credential by itself
        answer = ServiceClient(url).post("/api/v1/probe/internal", json={})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "principal": {"kind": "service", "id": None, "name": "probe", "email": None, "role": "admin"},
        "actor": "typed-in",  # a service relays its caller's actor
    }
    assert ServiceClient(url).post("/api/v1/probe/internal", json={}).status_code == 401  # outside an app: none


@pytest.mark.parametrize(
    "token",
    [
        ServiceCredential("another secret entirely", "probe").token(),
        itsdangerous.URLSafeTimedSerializer(SERVICE_SECRET, salt="servicekit.auth.service").dumps({"service": ""}),
        "not-a-signed-token",
    ],
)
def test_forged_service_tokens_are_401(probe, token):
    response = probe.post("/api/v1/probe/internal", headers={HEADER: token})
    assert (response.status_code, response.json["message"]) == (401, "invalid or expired service token")


def test_an_old_service_token_expires(probe, monkeypatch):
    credential = ServiceCredential(SERVICE_SECRET, "probe", max_age=60)
    token = credential.token()
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert probe.post("/api/v1/probe/internal", headers={HEADER: token}).status_code == 401


def test_auth_off_is_an_anonymous_admin_acting_under_the_typed_name(db_url):
    client = probe_app(db_url).test_client()
    answer = client.post("/api/v1/probe/internal").json
    assert answer == {
        "principal": {"kind": "anonymous", "id": None, "name": "anonymous", "email": None, "role": "admin"},
        "actor": "typed-in",
    }


def test_the_owning_service_being_down_is_503_not_401(db_url):
    from tests.ports import closed_port_url

    client = probe_app(db_url, **{**AUTH_ON, "ONCALL_SERVICE_URL": closed_port_url()}).test_client()
    response = client.get("/api/v1/probe/read", headers=bearer(ADMIN_API_KEY))
    assert response.status_code == 503
    assert "sign-in service" in response.json["message"]
