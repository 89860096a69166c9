"""Real PagerDuty clients against `/v2/enqueue`: PyPI's pdpyras and Alertmanager's own pagerduty_configs."""

import uuid
import warnings

import pytest

from tests.alert_ingestion import alertmanager_process as am

with warnings.catch_warnings():
    # pdpyras points to its successor, the `pagerduty` package, which needs the httpx2 stack; pdpyras needs
    # only requests and speaks the same Events API v2.
    warnings.simplefilter("ignore", UserWarning)
    import pdpyras

KEYS = "/api/v1/integration-keys"


@pytest.fixture
def platform(make_ingestion, incidents_app, live_server, make_key):
    """Ingestion served over HTTP, an integration key for PagerDuty clients, and test clients of both services."""
    app = make_ingestion()
    client = app.test_client()
    key = make_key(client, name="pagerduty-clients", source="pagerduty", team="storage")
    return {"url": live_server(app), "key": key, "ingestion": client, "incidents": incidents_app.test_client()}


def incident_of(platform, dedup_key):
    alerts = platform["ingestion"].get("/api/v1/alerts", query_string={"integration_key_id": platform["key"]["id"]})
    [alert] = [a for a in alerts.json["items"] if a["dedup_key"] == dedup_key]
    return alert, platform["incidents"].get(f"/api/v1/incidents/{alert['incident_id']}").json


def test_pdpyras_triggers_acknowledges_and_resolves_an_incident(platform):
    session = pdpyras.EventsAPISession(platform["key"]["key"])
    session.url = platform["url"]  # the base URL: pdpyras posts to {url}/v2/enqueue
    dedup_key = session.trigger(
        "Replication lag above 30s on db-2",
        "db-2.example.com",
        severity="error",
        custom_details={"lag_seconds": 42},
        links=[{"href": "https://runbooks.example.com/replication", "text": "Runbook"}],
    )
    assert len(dedup_key) == 32  # generated, as PagerDuty does, and returned
    alert, incident = incident_of(platform, dedup_key)
    assert (alert["service"], alert["severity"], alert["source"]) == ("db-2.example.com", "high", "pagerduty")
    assert alert["labels"]["details.lag_seconds"] == 42
    assert (incident["status"], incident["team"]) == ("open", "storage")
    assert incident["links"][0]["href"] == "https://runbooks.example.com/replication"

    assert session.acknowledge(dedup_key) == dedup_key
    assert incident_of(platform, dedup_key)[1]["status"] == "acknowledged"
    assert session.resolve(dedup_key) == dedup_key
    alert, incident = incident_of(platform, dedup_key)
    assert (alert["status"], incident["status"]) == ("resolved", "resolved")


def test_pdpyras_sees_pagerdutys_400_for_a_revoked_key(platform):
    platform["ingestion"].post(f"{KEYS}/{platform['key']['id']}/revoke")
    session = pdpyras.EventsAPISession(platform["key"]["key"])
    session.url = platform["url"]
    with pytest.raises(pdpyras.PDClientError) as refused:
        session.trigger("Disk full", "db-1")
    assert refused.value.response.status_code == 400
    body = refused.value.response.json()
    assert (body["status"], body["message"]) == ("invalid event", "Event object is invalid")
    assert "has been revoked" in body["errors"][0]


def test_pdpyras_backs_off_on_pagerdutys_429(make_ingestion, live_server, make_key):
    app = make_ingestion(INGEST_RATE_LIMIT_PER_KEY=1, INGEST_RATE_WINDOW_SECONDS=3600)
    key = make_key(app.test_client())
    session = pdpyras.EventsAPISession(key["key"])
    session.url = live_server(app)
    session.retry[429] = 1  # once more after its back-off, then give up (its default is to retry forever)
    session.sleep_timer = 0.1
    session.trigger("first", "db-1", dedup_key="first")
    with pytest.raises(pdpyras.PDClientError) as throttled:
        session.trigger("second", "db-1", dedup_key="second")
    assert throttled.value.response.status_code == 429
    assert int(throttled.value.response.headers["Retry-After"]) >= 1


def test_alertmanager_pagerduty_configs_open_and_resolve_an_incident(platform):
    service = f"am-pd-{uuid.uuid4().hex[:8]}"
    receiver = {
        "name": "incident-platform-pagerduty",
        "pagerduty_configs": [
            {
                "routing_key": platform["key"]["key"],
                "url": f"{platform['url']}/v2/enqueue",
                "send_resolved": True,
                "severity": "{{ .CommonLabels.severity }}",
                "description": "{{ .CommonAnnotations.summary }}",
                "source": service,
                "links": [{"href": "https://runbooks.example.com/disk", "text": "Runbook"}],
            }
        ],
    }
    labels = {"alertname": "DiskFull", "service": service, "severity": "critical"}
    with am.running(receiver) as alertmanager:
        am.post_alert(alertmanager, labels, {"summary": "Disk 95% full on db-1"})
        alerts = am.wait_for(
            lambda: platform["ingestion"].get("/api/v1/alerts", query_string={"service": service}).json["items"],
            what="Alertmanager's PagerDuty event",
        )
        [alert] = alerts
        assert (alert["source"], alert["severity"], alert["message"]) == (
            "pagerduty",
            "critical",
            "Disk 95% full on db-1",
        )
        assert alert["integration_key_id"] == platform["key"]["id"]
        assert alert["labels"]["client"] == "Alertmanager"
        assert {"href": "https://runbooks.example.com/disk", "text": "Runbook"} in alert["links"]
        incident = platform["incidents"].get(f"/api/v1/incidents/{alert['incident_id']}").json
        assert (incident["status"], incident["team"]) == ("open", "storage")

        am.post_alert(alertmanager, labels, {"summary": "Disk 95% full on db-1"}, ended=True)
        am.wait_for(
            lambda: platform["ingestion"].get(f"/api/v1/alerts/{alert['id']}").json["status"] == "resolved",
            what="Alertmanager's PagerDuty resolve event",
        )
    incident = platform["incidents"].get(f"/api/v1/incidents/{alert['incident_id']}").json
    assert incident["status"] == "resolved"
