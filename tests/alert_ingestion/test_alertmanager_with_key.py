"""A real Alertmanager sends its integration key through http_config.authorization, as docs/integrations.md says."""

import uuid

from tests.alert_ingestion import alertmanager_process as am
from tests.alert_ingestion.conftest import bearer


def webhook_receiver(url, key):
    return {
        "name": "incident-platform",
        "webhook_configs": [
            {
                "url": f"{url}/api/v1/alerts/alertmanager",
                "send_resolved": True,
                "http_config": {"authorization": {"type": "Bearer", "credentials": key}},
            }
        ],
    }


def test_alertmanager_with_its_key_opens_and_resolves_an_incident(make_ingestion, make_key, live_server, sql):
    app = make_ingestion(INGEST_REQUIRE_KEY=True)
    client = app.test_client()
    key = make_key(client, team="storage")
    service = f"am-key-{uuid.uuid4().hex[:8]}"
    labels = {"alertname": "DiskFull", "service": service, "severity": "critical"}
    with am.running(webhook_receiver(live_server(app), key["key"])) as alertmanager:
        am.post_alert(alertmanager, labels, {"summary": "Disk 95% full"})
        stored = am.wait_for(
            lambda: client.get(f"/api/v1/alerts?service={service}").json["items"],
            what="Alertmanager's notification with the key",
        )
        assert (stored[0]["integration_key_id"], stored[0]["labels"]["team"]) == (key["id"], "storage")
        assert stored[0]["incident_id"] is not None
        am.post_alert(alertmanager, labels, {"summary": "Disk 95% full"}, ended=True)
        am.wait_for(
            lambda: client.get(f"/api/v1/alerts/{stored[0]['id']}").json["status"] == "resolved",
            what="Alertmanager's resolved notification",
        )


def test_alertmanager_with_a_revoked_key_is_refused(make_ingestion, make_key, live_server, sql):
    app = make_ingestion()
    client = app.test_client()
    key = make_key(client)
    assert client.post(f"/api/v1/integration-keys/{key['id']}/revoke").status_code == 200
    alert = {"service": "s", "severity": "low", "message": "m"}
    assert client.post("/api/v1/alerts", json=alert, headers=bearer(key["key"])).status_code == 401
    with am.running(webhook_receiver(live_server(app), key["key"])) as alertmanager:
        am.post_alert(alertmanager, {"alertname": "DiskFull", "service": "storage", "severity": "critical"})
        am.wait_for(lambda: am.failed_notifications(alertmanager, "webhook") >= 1, what="a refused notification")
    assert sql("SELECT count(*) FROM alerts") == [(0,)]
