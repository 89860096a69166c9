"""Through the real gateway: what a service records as the client's address (the audit trail) and limits by
(ingestion's rate limits) is the address nginx forwards in X-Forwarded-For, not the gateway's own, and a
client cannot choose it. The test stack trusts the gateway (TRUSTED_PROXIES=127.0.0.1); the test calls from
other loopback addresses, so a client's address differs from the gateway's."""

import contextlib
import http.client
import json
import urllib.parse

import psycopg2
import pytest


def call(base, method, path, source, body=None, headers=None):
    """One request from the local address `source`; (status, JSON answer)."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10, source_address=(source, 0))
    try:
        payload = json.dumps(body) if body is not None else None
        connection.request(method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def recorded_address(stack, incident_id):
    status, page = call(
        stack.url("nginx"), "GET", f"/api/v1/audit/incidents?record_id={incident_id}&action=create", "127.0.0.1"
    )
    assert status == 200, page
    [event] = page["items"]
    return event["client_address"]


def open_incident(base, source, headers=None):
    incident = {"title": "Client address check", "service": "client-address", "severity": "low"}
    status, created = call(base, "POST", "/api/v1/incidents", source, incident, headers)
    assert status == 201, created
    return created["id"]


def test_the_audit_trail_records_the_client_the_gateway_forwards(stack):
    assert recorded_address(stack, open_incident(stack.url("nginx"), "127.0.0.5")) == "127.0.0.5"


@pytest.mark.parametrize("via", ["nginx", "incident_management"], ids=["through-the-gateway", "direct"])
def test_a_client_cannot_choose_its_address(stack, via):
    """A made-up X-Forwarded-For is the client's own writing: through the gateway it sits left of the address
    nginx adds; sent to the service directly, it comes from a peer that is not a trusted proxy."""
    incident_id = open_incident(stack.url(via), "127.0.0.6", {"X-Forwarded-For": "203.0.113.9"})
    assert recorded_address(stack, incident_id) == "127.0.0.6"


def test_ingestion_limits_the_client_the_gateway_forwards(stack):
    alert = {"service": "client-address", "severity": "low", "message": "from 127.0.0.7"}
    status, answer = call(stack.url("nginx"), "POST", "/api/v1/alerts", "127.0.0.7", alert)
    assert status == 201, answer
    with contextlib.closing(psycopg2.connect(stack.database_url)) as conn, conn.cursor() as cur:
        cur.execute("SELECT bucket FROM ingest_rate_windows WHERE bucket LIKE 'addr:%%'")
        buckets = {bucket for (bucket,) in cur.fetchall()}
    assert "addr:127.0.0.7" in buckets
