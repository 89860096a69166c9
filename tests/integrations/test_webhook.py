"""The generic webhook with the Datadog and Zabbix mappings of docs/integrations.md, over real incident management."""

import pytest

WEBHOOK = "/api/v1/alerts/webhook"
KEYS = "/api/v1/integration-keys"


def keyed(ingestion, mapping, **fields):
    response = ingestion.post(KEYS, json={"name": "webhook", "source": "webhook", "mapping": mapping, **fields})
    assert response.status_code == 201, response.json
    return response.json, {"Authorization": f"Bearer {response.json['key']}"}


def test_a_datadog_trigger_opens_an_incident_and_its_recovery_resolves_it(ingestion, incidents, payload):
    key, headers = keyed(ingestion, payload("datadog_mapping"))
    assert key["mapping"] == payload("datadog_mapping")
    triggered = payload("datadog_triggered")
    response = ingestion.post(WEBHOOK, json=triggered, headers=headers)
    assert response.status_code == 201, response.json
    answer = response.json
    assert (answer["status"], answer["result"], answer["dedup_key"]) == (
        "firing",
        "new_incident",
        "6a7c1dd1d8b3e6f58a1e1b9c1c6b0c1d",  # pragma: allowlist secret
    )
    alert = ingestion.get(f"/api/v1/alerts/{answer['alert_id']}").json
    assert (alert["source"], alert["service"], alert["severity"]) == ("webhook", "checkout", "high")
    assert alert["message"] == (
        "[P2] [Triggered] Checkout error rate above 5% on host:web-1\n\n"
        "checkout.errors over host:web-1 was > 5.0 on average during the last 5m."
    )
    assert alert["labels"] == {
        "monitor_id": "98765432",
        "hostname": "web-1",
        "scope": "host:web-1",
        "tags": "env:prod,host:web-1,service:checkout",
    }
    assert [link["text"] for link in alert["links"]] == ["Datadog event", "Graph"]

    repeat = ingestion.post(WEBHOOK, json={**triggered, "transition": "Re-Triggered"}, headers=headers)
    assert (repeat.status_code, repeat.json["duplicate"], repeat.json["alert_id"]) == (200, True, alert["id"])

    recovered = ingestion.post(WEBHOOK, json={**triggered, "transition": "Recovered"}, headers=headers)
    assert recovered.status_code == 200
    assert (recovered.json["status"], recovered.json["result"], recovered.json["incident_status"]) == (
        "resolved",
        "resolved",
        "resolved",
    )
    assert incidents.get(f"/api/v1/incidents/{answer['incident_id']}").json["status"] == "resolved"
    again = ingestion.post(WEBHOOK, json={**triggered, "transition": "Recovered"}, headers=headers)
    assert again.json["result"] == "not_firing"


def test_a_zabbix_problem_and_its_resolution(ingestion, payload, sql):
    _key, headers = keyed(ingestion, payload("zabbix_mapping"))
    problem = payload("zabbix_problem")
    answer = ingestion.post(WEBHOOK, json=problem, headers=headers).json
    alert = ingestion.get(f"/api/v1/alerts/{answer['alert_id']}").json
    assert (alert["service"], alert["severity"], alert["dedup_key"]) == ("web-1", "high", "4711")
    assert alert["message"] == "High CPU utilization (over 90% for 5m) on web-1"
    assert alert["labels"]["operational_data"] == "Current utilization: 97.2 %"
    assert alert["links"] == [
        {"href": "https://zabbix.example.com/tr_events.php?triggerid=23301&eventid=4711", "text": "Zabbix event"}
    ]
    resolved = ingestion.post(WEBHOOK, json={**problem, "status": "RESOLVED", "value": "0"}, headers=headers)
    assert resolved.json["result"] == "resolved"
    assert sql("SELECT status FROM alerts") == [("resolved",)]


def test_the_keys_service_and_team_win_over_the_mapping(ingestion, payload):
    _key, headers = keyed(ingestion, payload("zabbix_mapping"), service="web-tier", team="sre")
    answer = ingestion.post(WEBHOOK, json=payload("zabbix_problem"), headers=headers).json
    alert = ingestion.get(f"/api/v1/alerts/{answer['alert_id']}").json
    assert (alert["service"], alert["labels"]["team"]) == ("web-tier", "sre")


def test_dedup_keys_belong_to_their_key(ingestion, payload, sql):
    _first, first = keyed(ingestion, payload("zabbix_mapping"))
    _second, second = keyed(ingestion, payload("zabbix_mapping"))
    ingestion.post(WEBHOOK, json=payload("zabbix_problem"), headers=first)
    ingestion.post(WEBHOOK, json=payload("zabbix_problem"), headers=second)
    ingestion.post(WEBHOOK, json={**payload("zabbix_problem"), "status": "RESOLVED"}, headers=first)
    assert sorted(sql("SELECT status FROM alerts")) == [("firing",), ("resolved",)]


def test_without_a_mapping_the_body_is_read_as_the_platforms_alert(ingestion):
    body = {"service": "cron", "severity": "medium", "message": "backup late", "dedup_key": "backup"}
    answer = ingestion.post(WEBHOOK, json=body)
    assert (answer.status_code, answer.json["result"]) == (201, "new_incident")
    assert ingestion.get(f"/api/v1/alerts/{answer.json['alert_id']}").json["source"] == "webhook"


def test_a_mapped_alert_that_is_invalid_is_422_naming_the_field_and_its_mapping(ingestion, payload, sql):
    _key, headers = keyed(ingestion, payload("zabbix_mapping"))
    body = {k: v for k, v in payload("zabbix_problem").items() if k != "host"}
    response = ingestion.post(WEBHOOK, json=body, headers=headers)
    assert response.status_code == 422
    assert response.json["errors"]["json"]["service"] == [
        "Missing data for required field.",
        'mapped from "host"',
    ]
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


def test_a_resolution_without_a_dedup_key_is_422(ingestion, payload):
    _key, headers = keyed(ingestion, payload("zabbix_mapping"))
    body = {k: v for k, v in payload("zabbix_problem").items() if k != "event_id"}
    response = ingestion.post(WEBHOOK, json={**body, "status": "RESOLVED"}, headers=headers)
    assert response.status_code == 422
    assert "dedup_key" in response.json["errors"]["json"]


@pytest.mark.parametrize("body", [b"[]", b'"PROBLEM"', b"{not json", b"null"])
def test_a_body_that_is_not_a_json_object_is_a_clear_4xx(ingestion, body, sql):
    response = ingestion.post(WEBHOOK, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert response.json["message"]
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


def test_a_bad_mapping_is_refused_when_given_and_can_be_changed_or_cleared(ingestion, payload):
    bad = ingestion.post(KEYS, json={"name": "w", "mapping": {"service": "host", "message": {"colour": "x"}}})
    assert bad.status_code == 422
    assert "message" in bad.json["errors"]["json"]["mapping"]
    key, headers = keyed(ingestion, payload("zabbix_mapping"))
    changed = ingestion.patch(f"{KEYS}/{key['id']}", json={"mapping": payload("datadog_mapping")})
    assert (changed.status_code, changed.json["mapping"]) == (200, payload("datadog_mapping"))
    answer = ingestion.post(WEBHOOK, json=payload("datadog_triggered"), headers=headers).json
    assert answer["dedup_key"] == "6a7c1dd1d8b3e6f58a1e1b9c1c6b0c1d"
    cleared = ingestion.patch(f"{KEYS}/{key['id']}", json={"mapping": None})
    assert cleared.json["mapping"] is None
