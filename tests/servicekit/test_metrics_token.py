"""METRICS_TOKEN: every service's /metrics answers 401 without `Authorization: Bearer <token>`, 200 with it, and
stays open when no token is set (the gateway's /metrics: tests/monitoring/test_metrics_token_stack.py)."""

import hmac

import pytest

import alert_ingestion
import incident_management
import notification_service
import oncall_service
from servicekit import db, metrics_token
from servicekit.config import ConfigError

TOKEN = "scrape-token-0123456789abcdef"  # pragma: allowlist secret (made up for the test)
SERVICES = [alert_ingestion, incident_management, oncall_service, notification_service]


@pytest.fixture(params=SERVICES, ids=lambda module: module.__name__)
def service(request, make_app):
    return make_app(request.param.create_app, METRICS_TOKEN=TOKEN).test_client()


def test_without_the_token_metrics_is_401_in_the_one_error_shape(service):
    response = service.get("/metrics")
    assert response.status_code == 401
    assert response.json == {
        "code": 401,
        "status": "Unauthorized",
        "message": "/metrics needs Authorization: Bearer <METRICS_TOKEN>",
    }
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="metrics"'


def test_with_the_token_metrics_answers(service):
    response = service.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert "# TYPE" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "header",
    [f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer ", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN.upper()}"],
    ids=["longer", "shorter", "empty", "basic", "no-scheme", "other-case"],
)
def test_any_other_credential_is_401_saying_the_token_is_wrong(make_app, header):
    client = make_app(alert_ingestion.create_app, METRICS_TOKEN=TOKEN).test_client()
    response = client.get("/metrics", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json["message"].startswith("/metrics needs Authorization: Bearer <METRICS_TOKEN>")


def test_the_scheme_is_case_insensitive(make_app):
    client = make_app(alert_ingestion.create_app, METRICS_TOKEN=TOKEN).test_client()
    assert client.get("/metrics", headers={"Authorization": f"bearer {TOKEN}"}).status_code == 200


def test_without_a_token_metrics_stays_open(make_app):
    client = make_app(incident_management.create_app).test_client()
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", headers={"Authorization": "Bearer anything"}).status_code == 200


def test_the_comparison_is_constant_time(make_app, monkeypatch):
    """hmac.compare_digest decides, on the whole of both values: no early exit at the first wrong character."""
    compared, compare = [], hmac.compare_digest

    def recording(given, expected):
        compared.append((given, expected))
        return compare(given, expected)

    monkeypatch.setattr(metrics_token.hmac, "compare_digest", recording)
    client = make_app(oncall_service.create_app, METRICS_TOKEN=TOKEN).test_client()
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert compared == [(b"wrong-token", TOKEN.encode()), (TOKEN.encode(), TOKEN.encode())]


@pytest.mark.parametrize(
    "token", ["short-token", 'with"quote-0123456789', "with space 0123456789", "with$dollar0123456789", "é" * 20]
)
def test_a_token_the_gateway_could_not_match_stops_the_service_naming_the_setting(make_app, token):
    with pytest.raises(ConfigError, match="METRICS_TOKEN"):
        make_app(notification_service.create_app, METRICS_TOKEN=token)


def test_the_token_comes_from_the_environment(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("BACKGROUND_JOBS", "false")
    monkeypatch.setenv("METRICS_TOKEN", TOKEN)
    app = incident_management.create_app()
    try:
        assert app.test_client().get("/metrics").status_code == 401
        assert app.test_client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    finally:
        db.get_db(app).close()
