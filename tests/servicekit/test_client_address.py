"""The client address every service records and limits by (servicekit.client_address): the peer, or what a
trusted proxy says in X-Forwarded-For. The same answer for ingestion's rate limits, the audit trail and
sign-ins; through the real gateway in tests/web_ui/test_client_address.py."""

import pytest

import incident_management
import oncall_service
from servicekit import client_address
from servicekit.audit import context
from tests.auth.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, AUTH_ON


class FakeResolver:
    """getaddrinfo for names in a table (no DNS): the gateway's compose name."""

    def __init__(self, table):
        self.table, self.calls = table, 0

    def __call__(self, name, _port):
        self.calls += 1
        if name not in self.table:
            raise OSError("not found")
        return [(None, None, None, None, (self.table[name], 0))]


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        ("198.51.100.1", None, "", "198.51.100.1"),
        ("198.51.100.1", "203.0.113.5", "", "198.51.100.1"),  # not a proxy: its header is ignored
        ("10.0.0.1", "203.0.113.5", "10.0.0.1", "203.0.113.5"),
        ("10.0.0.1", "1.2.3.4, 203.0.113.5", "10.0.0.1", "203.0.113.5"),  # the client wrote 1.2.3.4 itself
        ("10.0.0.1", "203.0.113.5, 10.0.0.2", "10.0.0.0/24", "203.0.113.5"),  # two proxies of ours
        ("10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.0/24", "10.0.0.3"),  # all ours: the first one
        ("10.0.0.1", "garbage, 203.0.113.5", "10.0.0.1", "203.0.113.5"),
        ("10.0.0.1", "203.0.113.5, garbage", "10.0.0.1", "10.0.0.1"),  # unreadable: the proxy itself
        ("172.18.0.5", "203.0.113.5", "web-ui", "203.0.113.5"),  # the gateway by its compose name
        ("172.18.0.6", "203.0.113.5", "web-ui", "172.18.0.6"),
        ("::1", "2001:db8::5", "::1", "2001:db8::5"),
        ("not-an-address", "203.0.113.5", "10.0.0.1", "not-an-address"),
    ],
)
def test_client_address(peer, forwarded, trusted, client):
    proxies = client_address.TrustedProxies(trusted, resolve=FakeResolver({"web-ui": "172.18.0.5"}))
    assert client_address.client_address(peer, forwarded, proxies) == client


def test_proxy_names_are_resolved_again_after_a_while(monkeypatch):
    resolver = FakeResolver({})
    proxies = client_address.TrustedProxies("web-ui", resolve=resolver)
    assert client_address.client_address("172.18.0.5", "203.0.113.5", proxies) == "172.18.0.5"  # not up yet
    resolver.table["web-ui"] = "172.18.0.5"
    assert client_address.client_address("172.18.0.5", "203.0.113.5", proxies) == "172.18.0.5"  # remembered a while
    assert resolver.calls == 1
    monkeypatch.setattr(client_address, "RESOLVE_SECONDS", 0.0)
    assert client_address.client_address("172.18.0.5", "203.0.113.5", proxies) == "203.0.113.5"


def test_the_audit_trail_records_the_client_not_the_proxy(make_app, sql):
    app = make_app(incident_management.create_app, TRUSTED_PROXIES="10.0.0.1")
    client = app.test_client()
    incident = {"title": "Disk full", "service": "db", "severity": "high"}
    via_proxy = {"environ_base": {"REMOTE_ADDR": "10.0.0.1"}, "headers": {"X-Forwarded-For": "203.0.113.5"}}
    spoofed = {"environ_base": {"REMOTE_ADDR": "198.51.100.9"}, "headers": {"X-Forwarded-For": "203.0.113.6"}}
    client.post("/api/v1/incidents", json=incident, **via_proxy)
    client.post("/api/v1/incidents", json=incident, **spoofed)
    rows = sql("SELECT client_address FROM incident_audit WHERE record_type = 'incidents' ORDER BY id")
    assert rows == [("203.0.113.5",), ("198.51.100.9",)]


def test_a_background_job_has_no_client_address(make_app):
    app = make_app(incident_management.create_app)
    with app.app_context():
        assert context.current("incident_management") == ("incident_management", "")


def test_sign_ins_record_the_client_not_the_proxy(make_app, sql):
    app = make_app(oncall_service.create_app, **AUTH_ON, TRUSTED_PROXIES="10.0.0.1")
    via_proxy = {"environ_base": {"REMOTE_ADDR": "10.0.0.1"}, "headers": {"X-Forwarded-For": "203.0.113.5"}}
    client = app.test_client()
    wrong = client.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": "not-it-0123456"}, **via_proxy)
    assert wrong.status_code == 401
    assert sql("SELECT client_address FROM login_failures") == [("203.0.113.5",)]
    right = client.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}, **via_proxy)
    assert right.status_code == 200
    assert sql("SELECT client_address FROM user_sessions") == [("203.0.113.5",)]
