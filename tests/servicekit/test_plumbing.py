"""The shared plumbing, exercised through a real service app."""

import http.server
import threading

import pytest
from flask import abort

import alert_ingestion
import incident_management
from servicekit import config
from servicekit.http import CallFailed, ServiceClient
from tests.ports import closed_port_url


@pytest.fixture
def app(make_app):
    return make_app(incident_management.create_app)


def test_missing_database_url_fails_start_up_clearly(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(config.ConfigError, match="missing required setting DATABASE_URL"):
        incident_management.create_app()


def test_settings_come_from_the_environment_with_their_types(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CORRELATION_WINDOW_SECONDS", "120")
    monkeypatch.setenv("BACKGROUND_JOBS", "false")
    app = incident_management.create_app()
    assert app.config["CORRELATION_WINDOW_SECONDS"] == 120.0
    assert app.config["BACKGROUND_JOBS"] is False


@pytest.mark.parametrize(("name", "value"), [("CORRELATION_WINDOW_SECONDS", "five"), ("BACKGROUND_JOBS", "maybe")])
def test_malformed_settings_fail_start_up(monkeypatch, db_url, name, value):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv(name, value)
    with pytest.raises(config.ConfigError, match=name):
        incident_management.create_app()


def test_require_names_the_missing_variable(monkeypatch):
    monkeypatch.delenv("SOME_TOKEN", raising=False)
    with pytest.raises(config.ConfigError, match="SOME_TOKEN"):
        config.require("SOME_TOKEN")
    monkeypatch.setenv("SOME_TOKEN", "x")
    assert config.require("SOME_TOKEN") == "x"


def test_health_checks_the_database(app):
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"


def test_health_is_503_with_a_reason_when_the_database_is_unreachable(make_app):
    down = make_app(incident_management.create_app, DATABASE_URL="postgresql://postgres@127.0.0.1:1/none")
    response = down.test_client().get("/health")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["reason"].startswith("database unreachable")
    api = down.test_client().get("/api/v1/incidents")
    assert api.status_code == 503
    assert api.json["message"] == "database unavailable, try again shortly"


def test_unknown_route_and_wrong_method_answer_json(app):
    client = app.test_client()
    missing = client.get("/api/v1/nothing")
    assert (missing.status_code, missing.json["status"]) == (404, "Not Found")
    wrong = client.delete("/api/v1/incidents")
    assert (wrong.status_code, wrong.json["code"]) == (405, 405)


def test_an_unexpected_error_is_a_json_500_and_is_logged(app, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, not as in TESTING

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.json["message"] == "internal server error; details are in the service log"
    assert "kaboom" not in response.get_data(as_text=True)
    assert any("GET /boom failed" in record.message for record in caplog.records)


def test_abort_with_a_message_keeps_it(app):
    @app.get("/teapot")
    def teapot():
        abort(418)

    assert app.test_client().get("/teapot").json["code"] == 418


def test_metrics_endpoint_has_http_and_domain_metrics(app):
    client = app.test_client()
    client.get("/api/v1/incidents")
    incident = client.post("/api/v1/incidents", json={"title": "t", "service": "s", "severity": "low"}).json
    client.patch(f"/api/v1/incidents/{incident['id']}", json={"status": "acknowledged"})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'flask_http_request_total{method="GET",status="200"}' in text
    assert 'endpoint="incidents.Incidents"' in text  # grouped by endpoint, never by raw path
    assert incident["id"] not in text
    assert 'incidents_total{status="acknowledged"} 1.0' in text
    assert 'incidents_total{status="open"} 0.0' in text
    assert 'incident_mtta_seconds_count{severity="low"}' in text


def test_openapi_document_and_offline_swagger_ui(make_app):
    app = make_app(alert_ingestion.create_app)
    client = app.test_client()
    spec = client.get("/docs/openapi.json").json
    assert spec["info"]["title"] == "Alert ingestion"
    assert "/api/v1/alerts" in spec["paths"]
    assert spec["paths"]["/api/v1/alerts"]["post"]["summary"].startswith("Receive an alert")
    page = client.get("/docs/swagger").get_data(as_text=True)
    assert "/docs/static/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    bundle = client.get("/docs/static/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert len(bundle.data) > 100_000


class _FlakyHandler(http.server.BaseHTTPRequestHandler):
    failures_left = 0

    def do_POST(self):
        cls = type(self)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = 503 if cls.failures_left > 0 else 200
        cls.failures_left -= 1
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *_args):
        pass


def test_service_client_retries_503_then_succeeds():
    _FlakyHandler.failures_left = 2
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FlakyHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = ServiceClient(f"http://127.0.0.1:{server.server_port}", retries=2, backoff=0.01)
        assert client.post("/x", json={}).status_code == 200
        _FlakyHandler.failures_left = 5
        assert client.post("/x", json={}).status_code == 503  # retries exhausted: the answer is returned
        _FlakyHandler.failures_left = 2
        assert client.post_json("/x", {"a": 1}) == (200, {"ok": True})  # the lean path retries the same way
        _FlakyHandler.failures_left = 5
        assert client.post_json("/x", {})[0] == 503
    finally:
        server.shutdown()


def test_post_json_raises_call_failed_when_nobody_listens():
    client = ServiceClient(closed_port_url(), retries=1, backoff=0.01)
    with pytest.raises(CallFailed, match="Max retries exceeded"):
        client.post_json("/x", {})


def test_validation_errors_also_say_what_is_wrong_in_one_line(make_app):
    client = make_app(alert_ingestion.create_app).test_client()
    response = client.post("/api/v1/alerts", json={"severity": "urgent", "message": "m"})
    assert response.status_code == 422
    assert response.json["message"] == (
        "invalid request: json.service: Missing data for required field.; "
        "json.severity: Must be one of: critical, high, medium, low."
    )
