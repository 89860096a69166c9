"""The nginx gateway of the tests' stack: each /api prefix reaches its service with the path unchanged, the
gateway's own /health and /metrics, the SPA's history fallback, caching, security headers and gzip."""

import http.client
import json
import re
import urllib.parse
import uuid

import pytest
import requests

pytestmark = pytest.mark.stack

UNKNOWN = "00000000-0000-4000-8000-000000000000"
# (method, path, body, the service that must answer): requests whose answer names what was asked,
# so the same answer from the gateway and from the service proves the route and the unchanged path.
ROUTES = [
    ("GET", f"/api/v1/alerts/{UNKNOWN}", None, "alert_ingestion"),
    ("GET", "/api/v1/alerts?severity=loud", None, "alert_ingestion"),
    ("GET", f"/api/v1/integration-keys/{UNKNOWN}", None, "alert_ingestion"),
    ("GET", f"/api/v1/heartbeats/{UNKNOWN}", None, "alert_ingestion"),
    ("GET", f"/api/v1/maintenance-windows/{UNKNOWN}", None, "alert_ingestion"),
    ("POST", "/api/v1/alerts/grafana", {"version": "4"}, "alert_ingestion"),
    ("POST", "/v2/enqueue", {"event_action": "trigger"}, "alert_ingestion"),
    ("GET", f"/api/v1/incidents/{UNKNOWN}", None, "incident_management"),
    ("GET", "/api/v1/incidents?status=open,sleeping", None, "incident_management"),
    ("GET", "/api/v1/grouping-rules/no-such-service-anywhere", None, "incident_management"),
    ("POST", f"/api/v1/incidents/{UNKNOWN}/alerts/{UNKNOWN}/move", {"to": "elsewhere"}, "incident_management"),
    ("GET", f"/api/v1/schedules/{UNKNOWN}", None, "oncall_service"),
    ("GET", "/api/v1/oncall/current", None, "oncall_service"),
    ("GET", "/api/v1/oncall/shifts?team=no-such-team-anywhere", None, "oncall_service"),
    ("POST", "/api/v1/escalate", {"incident_id": "not-a-uuid"}, "oncall_service"),
    ("GET", f"/api/v1/users/{UNKNOWN}", None, "oncall_service"),
    ("GET", "/api/v1/users?role=root", None, "oncall_service"),
    ("POST", "/api/v1/teams", {"name": ""}, "oncall_service"),
    ("GET", "/api/v1/escalations?incident_id=not-a-uuid", None, "incident_management"),
    ("GET", f"/api/v1/webhook-subscriptions/{UNKNOWN}/deliveries", None, "incident_management"),
    ("GET", f"/api/v1/escalation-policies/{UNKNOWN}/chain", None, "oncall_service"),
    ("POST", "/api/v1/auth/login", {"email": "nobody@example.com"}, "oncall_service"),
    ("GET", f"/api/v1/tokens/{UNKNOWN}", None, "oncall_service"),
    ("POST", "/api/v1/notify", {"incident_id": UNKNOWN, "channel": "pigeon"}, "notification_service"),
    ("GET", f"/api/v1/notifications/{UNKNOWN}", None, "notification_service"),
    ("POST", f"/api/v1/users/{UNKNOWN}/contact-methods/{UNKNOWN}/test", None, "oncall_service"),
    ("POST", f"/api/v1/users/{UNKNOWN}/contact-methods/{UNKNOWN}/verification", None, "oncall_service"),
]
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def fetch(method, url, body=None, **kwargs):
    return requests.request(method, url, json=body, timeout=10, **kwargs)


@pytest.mark.parametrize(("method", "path", "body", "service"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_each_api_prefix_reaches_its_service_unchanged(gateway, stack, method, path, body, service):
    through_gateway = fetch(method, f"{gateway}{path}", body)
    direct = fetch(method, f"{stack.url(service)}{path}", body)
    assert 400 <= direct.status_code < 500, direct.text
    assert (through_gateway.status_code, through_gateway.json()) == (direct.status_code, direct.json())


def test_an_action_link_lands_on_incident_managements_page(gateway, stack):
    through_gateway = fetch("GET", f"{gateway}/api/v1/incidents/actions/not-a-signed-token")
    direct = fetch("GET", f"{stack.url('incident_management')}/api/v1/incidents/actions/not-a-signed-token")

    assert through_gateway.status_code == direct.status_code == 404
    assert through_gateway.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Not a valid link" in through_gateway.text and through_gateway.text == direct.text


def test_service_to_service_paging_targets_are_not_served_by_the_gateway(gateway):
    answer = fetch("GET", f"{gateway}/internal/v1/paging-targets?email=alice@example.com")

    # No /internal location: the path falls through to the SPA's page, never to the on-call service.
    assert answer.headers["Content-Type"].startswith("text/html") and "methods" not in answer.text


def test_a_request_body_and_query_pass_through(gateway, stack):
    service = f"gateway-{uuid.uuid4().hex[:8]}"
    created = fetch("POST", f"{gateway}/api/v1/alerts", {"service": service, "severity": "low", "message": "via nginx"})
    assert created.status_code == 201, created.text
    listed = fetch("GET", f"{stack.url('incident_management')}/api/v1/incidents?service={service}").json()
    assert [i["id"] for i in listed["items"]] == [created.json()["incident_id"]]
    through = fetch("GET", f"{gateway}/api/v1/incidents?service={service}&status=open").json()
    assert [i["id"] for i in through["items"]] == [created.json()["incident_id"]]


@pytest.mark.parametrize("path", ["/api/v1/alertsx", "/api/v2/incidents", "/api/nothing"])
def test_unknown_api_paths_are_json_404s_not_the_app(gateway, path):
    answer = fetch("GET", f"{gateway}{path}")
    assert answer.status_code == 404
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json()["message"] == "no service of the platform serves this path"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/incidents/alerts"),
        ("POST", "/api/v1/incidents/alerts/resolved"),
        ("POST", "/api/v1/incidents/00000000-0000-0000-0000-000000000000/escalate"),
        ("POST", "/api/v1/alerts/incident-resolutions"),
        ("POST", "/api/v1/alerts/references"),
    ],
)
def test_service_to_service_endpoints_are_not_exposed(gateway, method, path):
    answer = fetch(method, f"{gateway}{path}")
    assert answer.status_code == 404
    assert answer.json()["message"] == "internal endpoint, not served through the gateway"


def test_health_answers_json(gateway):
    answer = fetch("GET", f"{gateway}/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "service": "web-ui"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_metrics_are_the_gateways_prometheus_metrics(gateway):
    fetch("GET", f"{gateway}/")
    answer = fetch("GET", f"{gateway}/metrics")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    assert "<html" not in answer.text.lower()
    assert re.search(r"^nginx_up 1$", answer.text, re.MULTILINE), answer.text
    accepted = re.search(r"^nginx_connections_accepted (\d+)$", answer.text, re.MULTILINE)
    assert accepted and int(accepted.group(1)) >= 1
    assert re.search(r"^nginx_http_requests_total \d+$", answer.text, re.MULTILINE)


@pytest.mark.parametrize(
    "path", ["/", "/oncall", "/maintenance", "/metrics-page", f"/incidents/{UNKNOWN}", "/no/such/page"]
)
def test_app_routes_fall_back_to_index_html(gateway, path):
    answer = fetch("GET", f"{gateway}{path}")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    assert '<div id="app"></div>' in answer.text
    assert answer.headers["Cache-Control"] == "no-cache"


def test_hashed_assets_are_cached_for_good_and_missing_ones_are_404(gateway):
    index = fetch("GET", f"{gateway}/").text
    script = re.search(r'src="(/assets/index-[^"]+\.js)"', index).group(1)
    answer = fetch("GET", f"{gateway}{script}")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/javascript"
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    missing = fetch("GET", f"{gateway}/assets/index-00000000.js")
    assert missing.status_code == 404
    assert "<div id" not in missing.text


@pytest.mark.parametrize("path", ["/", "/api/v1/incidents?page_size=1", "/api/nothing", "/health", "/metrics"])
def test_security_headers_on_every_answer(gateway, path):
    answer = fetch("GET", f"{gateway}{path}")
    for header, value in SECURITY_HEADERS.items():
        assert answer.headers.get(header) == value, (path, header)
    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "nginx/" not in answer.headers.get("Server", "")


def test_text_is_gzipped(gateway):
    index = fetch("GET", f"{gateway}/").text
    script = re.search(r'src="(/assets/index-[^"]+\.js)"', index).group(1)
    for path in (script, "/api/v1/incidents/stats"):
        answer = fetch("GET", f"{gateway}{path}", headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200
        assert answer.headers.get("Content-Encoding") == "gzip", path
        assert "Accept-Encoding" in answer.headers.get("Vary", "")


def test_runtime_settings_for_the_app(gateway, stack):
    answer = fetch("GET", f"{gateway}/ui-config.json")
    assert answer.json() == {"grafana_url": stack.variables().get("GRAFANA_URL", "")}


def test_stub_status_is_served_for_the_exporter(gateway):
    answer = fetch("GET", f"{gateway}/stub_status")
    assert answer.status_code == 200
    assert answer.text.startswith("Active connections:")


def test_a_service_that_is_down_gets_a_json_502_naming_it(gateway, stack):
    stack.stop("notification_service")
    try:
        answer = fetch("GET", f"{gateway}/api/v1/notifications")
        assert answer.status_code == 502
        assert answer.json() == {
            "code": 502,
            "status": "Bad Gateway",
            "message": "notification-service is unavailable, try again shortly",
        }
        assert answer.headers["X-Frame-Options"] == "DENY"
    finally:
        stack.start("notification_service")
    assert fetch("GET", f"{gateway}/api/v1/notifications").status_code == 200


def nginx_answer(gateway, method, path, headers):
    """Send only the request head (the body that nginx refuses on sight is never sent); return the answer."""
    parts = urllib.parse.urlsplit(gateway)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest(method, path)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        answer = conn.getresponse()
        return answer.status, answer.getheader("Content-Type"), answer.getheader("X-Frame-Options"), answer.read()
    finally:
        conn.close()


def test_a_body_over_the_gateway_limit_is_a_json_413(gateway):
    status, content_type, frame_options, body = nginx_answer(
        gateway, "POST", "/api/v1/alerts", {"Content-Type": "application/json", "Content-Length": str(2 * 1024 * 1024)}
    )
    assert (status, content_type, frame_options) == (413, "application/json", "DENY")
    assert json.loads(body) == {
        "code": 413,
        "status": "Request Entity Too Large",
        "message": "request body larger than the gateway accepts (1 MiB)",
    }


def test_a_request_line_over_the_gateway_limit_is_a_json_414(gateway):
    status, content_type, frame_options, body = nginx_answer(gateway, "GET", "/api/v1/alerts?q=" + "x" * 9000, {})
    assert (status, content_type, frame_options) == (414, "application/json", "DENY")
    assert json.loads(body)["message"] == "request line longer than the gateway accepts (8 KiB)"


def test_a_header_over_the_gateway_limit_is_a_json_400(gateway):
    status, content_type, _, body = nginx_answer(gateway, "GET", "/api/v1/alerts", {"X-Big": "y" * 9000})
    assert (status, content_type) == (400, "application/json")
    assert json.loads(body)["message"] == "a request header is larger than the gateway accepts (8 KiB)"


def test_a_service_error_passes_through_without_a_gateway_retry_after(gateway):
    answer = fetch("GET", f"{gateway}/api/v1/alerts?page=0")
    assert answer.status_code == 422
    assert "Retry-After" not in answer.headers


def test_the_live_event_stream_comes_through_unbuffered(gateway):
    """Server-sent events through nginx: the first event arrives at once, not when a buffer fills."""
    with requests.get(
        f"{gateway}/api/v1/incidents/events", stream=True, timeout=5, headers={"Accept-Encoding": "gzip"}
    ) as stream:
        assert stream.status_code == 200
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert "Content-Encoding" not in stream.headers
        assert stream.headers["Cache-Control"].startswith("no-cache")
        lines = stream.iter_lines(decode_unicode=True)
        assert next(lines).startswith("retry: ")
        assert next(lines) == ""
        assert next(lines) == "event: ready"
