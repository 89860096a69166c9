"""Contract of the Alertmanager receiver, with payloads recorded from a real Alertmanager 0.25.

firing: one alert; repeated: the same notification again after repeat_interval;
grouped: two alerts of one group; grouped_partly_resolved: the same group once
one of them ended; resolved: the firing one ended; legacy_without_optional_fields:
the firing payload without the fields older Alertmanagers do not send.
"""

import datetime as dt

import pytest

from tests.monitoring.conftest import RECEIVER


def post(client, body):
    return client.post(RECEIVER, json=body)


def timeline(incidents, incident_id):
    return [(e["event_type"], e["actor"]) for e in incidents.get(f"/api/v1/incidents/{incident_id}").json["timeline"]]


def test_a_firing_alert_becomes_an_alert_and_opens_an_incident(ingestion, incidents, payload):
    response = post(ingestion, payload("firing"))
    assert response.status_code == 200
    body = response.json
    assert (body["received"], body["firing"], body["resolved"], body["truncated_alerts"]) == (1, 1, 0, 0)
    outcome = body["alerts"][0]
    assert outcome["fingerprint"] == "126dbc379a45a791"
    assert (outcome["status"], outcome["result"], outcome["duplicate"]) == ("firing", "new_incident", False)

    alert = ingestion.get(f"/api/v1/alerts/{outcome['alert_id']}").json
    assert alert["service"] == "checkout"
    assert alert["severity"] == "critical"
    assert alert["message"] == (
        "Checkout 5xx ratio above 5%\n\n5.2% of checkout requests failed over the last 5 minutes."
    )
    assert alert["labels"] == payload("firing")["alerts"][0]["labels"]
    assert (alert["source"], alert["dedup_key"], alert["status"]) == ("alertmanager", "126dbc379a45a791", "firing")
    assert alert["timestamp"] == "2026-11-27T09:02:45+00:00"
    assert alert["incident_id"] == outcome["incident_id"]

    incident = incidents.get(f"/api/v1/incidents/{outcome['incident_id']}").json
    assert incident["title"] == "checkout: Checkout 5xx ratio above 5%"
    assert (incident["service"], incident["severity"], incident["team"]) == ("checkout", "critical", "payments")


def test_a_repeated_notification_is_not_stored_again(ingestion, payload, sql):
    first = post(ingestion, payload("firing")).json["alerts"][0]
    repeat = post(ingestion, payload("repeated"))
    assert repeat.status_code == 200
    again = repeat.json["alerts"][0]
    assert again["duplicate"] is True
    assert (again["alert_id"], again["incident_id"], again["result"]) == (
        first["alert_id"],
        first["incident_id"],
        "new_incident",
    )
    assert sql("SELECT count(*) FROM alerts") == [(1,)]


def test_a_grouped_notification_stores_each_alert(ingestion, incidents, payload, sql):
    body = post(ingestion, payload("grouped")).json
    assert (body["received"], body["firing"]) == (2, 2)
    first, second = body["alerts"]
    assert (first["fingerprint"], second["fingerprint"]) == ("18a8280ccd6043f6", "6a1fb23c1ef4a46d")
    assert (first["result"], second["result"]) == ("new_incident", "existing_incident")
    assert first["incident_id"] == second["incident_id"]
    rows = sql("SELECT service, severity, message, labels->>'instance' FROM alerts ORDER BY labels->>'instance'")
    assert rows == [
        ("node", "medium", "Disk on db-1 fills within 24h", "db-1:9100"),
        ("node", "medium", "Disk on db-2 fills within 24h", "db-2:9100"),
    ]
    assert incidents.get(f"/api/v1/incidents/{first['incident_id']}").json["alert_count"] == 2


def test_one_alert_of_a_group_resolved_leaves_the_incident_open(ingestion, incidents, payload, sql):
    opened = post(ingestion, payload("grouped")).json["alerts"]
    body = post(ingestion, payload("grouped_partly_resolved")).json
    still_firing, ended = body["alerts"]
    assert (still_firing["status"], still_firing["duplicate"]) == ("firing", True)
    assert (ended["status"], ended["result"], ended["alert_id"]) == ("resolved", "resolved", opened[1]["alert_id"])
    assert ended["incident_status"] == "open"

    alert = ingestion.get(f"/api/v1/alerts/{ended['alert_id']}").json
    assert (alert["status"], alert["resolved_at"]) == ("resolved", "2026-11-27T09:02:58+00:00")
    incident_id = opened[0]["incident_id"]
    assert incidents.get(f"/api/v1/incidents/{incident_id}").json["status"] == "open"
    assert timeline(incidents, incident_id)[-1] == ("alert_resolved", "alertmanager")
    assert sql("SELECT count(*) FROM alert_resolutions") == [(0,)]

    # The last alert of the group ends: the incident is resolved by the source.
    last = payload("grouped_partly_resolved")
    last["alerts"] = [{**last["alerts"][0], "status": "resolved", "endsAt": "2026-11-27T09:03:10Z"}]
    final = post(ingestion, last).json["alerts"][0]
    assert final["incident_status"] == "resolved"
    incident = incidents.get(f"/api/v1/incidents/{incident_id}").json
    assert (incident["status"], incident["resolved_by"]) == ("resolved", "alertmanager")


def test_a_resolved_alert_resolves_its_incident_with_mttr_from_the_source(ingestion, incidents, payload, sql):
    opened = post(ingestion, payload("firing")).json["alerts"][0]
    # The incident opened two minutes ago; Alertmanager says the alert ended one minute ago.
    sql("UPDATE incidents SET created_at = now() - interval '2 minutes' WHERE id = %s", (opened["incident_id"],))
    ended_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    resolved = payload("resolved")
    resolved["alerts"][0]["endsAt"] = ended_at.isoformat().replace("+00:00", "Z")

    body = post(ingestion, resolved).json
    assert (body["received"], body["firing"], body["resolved"]) == (1, 0, 1)
    outcome = body["alerts"][0]
    assert (outcome["alert_id"], outcome["incident_id"]) == (opened["alert_id"], opened["incident_id"])
    assert (outcome["result"], outcome["incident_status"]) == ("resolved", "resolved")

    incident = incidents.get(f"/api/v1/incidents/{opened['incident_id']}").json
    assert (incident["status"], incident["resolved_by"]) == ("resolved", "alertmanager")
    assert dt.datetime.fromisoformat(incident["resolved_at"]) == ended_at
    assert incident["mttr_seconds"] == pytest.approx(60, abs=2)
    assert incident["acknowledged_at"] is None  # the source resolved it; nobody acknowledged
    assert incident["mtta_seconds"] is None
    events = timeline(incidents, opened["incident_id"])
    assert events[-2:] == [("alert_resolved", "alertmanager"), ("resolved", "alertmanager")]
    resolved_event = incidents.get(f"/api/v1/incidents/{opened['incident_id']}").json["timeline"][-1]
    assert resolved_event["detail"]["reason"] == "all alerts resolved by their source"
    assert sql("SELECT count(*) FROM alert_resolutions") == [(0,)]


def test_a_repeated_resolution_changes_nothing(ingestion, incidents, payload):
    opened = post(ingestion, payload("firing")).json["alerts"][0]
    post(ingestion, payload("resolved"))
    again = post(ingestion, payload("resolved"))
    assert again.status_code == 200
    assert again.json["alerts"][0]["result"] == "not_firing"
    assert again.json["alerts"][0]["alert_id"] is None
    events = timeline(incidents, opened["incident_id"])
    assert events.count(("alert_resolved", "alertmanager")) == 1
    assert events.count(("resolved", "alertmanager")) == 1


def test_a_resolution_of_an_alert_never_received_is_answered_not_firing(ingestion, payload, sql):
    body = post(ingestion, payload("resolved")).json
    assert body["alerts"][0]["result"] == "not_firing"
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


def test_the_alert_fires_again_after_its_resolution_as_a_new_alert(ingestion, payload, sql):
    first = post(ingestion, payload("firing")).json["alerts"][0]
    post(ingestion, payload("resolved"))
    again = post(ingestion, payload("firing")).json["alerts"][0]
    assert again["duplicate"] is False
    assert again["alert_id"] != first["alert_id"]
    assert again["result"] == "new_incident"
    assert sql("SELECT status, count(*) FROM alerts GROUP BY status ORDER BY status") == [
        ("firing", 1),
        ("resolved", 1),
    ]


def test_an_incident_with_an_alert_from_elsewhere_still_firing_stays_open(ingestion, incidents, payload):
    opened = post(ingestion, payload("firing")).json["alerts"][0]
    api_alert = {"service": "checkout", "severity": "critical", "message": "synthetic check failed"}
    assert ingestion.post("/api/v1/alerts", json=api_alert).json["incident_id"] == opened["incident_id"]
    outcome = post(ingestion, payload("resolved")).json["alerts"][0]
    assert outcome["incident_status"] == "open"
    assert incidents.get(f"/api/v1/incidents/{opened['incident_id']}").json["status"] == "open"


def test_an_incident_resolved_by_hand_keeps_its_resolver(ingestion, incidents, payload):
    opened = post(ingestion, payload("firing")).json["alerts"][0]
    incidents.patch(f"/api/v1/incidents/{opened['incident_id']}", json={"status": "resolved", "actor": "alice"})
    outcome = post(ingestion, payload("resolved")).json["alerts"][0]
    assert outcome["incident_status"] == "resolved"
    incident = incidents.get(f"/api/v1/incidents/{opened['incident_id']}").json
    assert incident["resolved_by"] == "alice"
    assert [e for e in timeline(incidents, opened["incident_id"]) if e[0] == "resolved"] == [("resolved", "alice")]
    assert timeline(incidents, opened["incident_id"])[-1] == ("alert_resolved", "alertmanager")


def test_a_payload_of_an_older_alertmanager_is_accepted(ingestion, payload):
    body = post(ingestion, payload("legacy_without_optional_fields")).json
    outcome = body["alerts"][0]
    assert outcome["fingerprint"] == "126dbc379a45a791"  # computed from the labels, as Alertmanager does
    assert outcome["result"] == "new_incident"
    assert post(ingestion, payload("firing")).json["alerts"][0]["duplicate"] is True


def test_an_old_alert_without_status_is_resolved_by_its_end_time(ingestion, incidents, payload):
    opened = post(ingestion, payload("firing")).json["alerts"][0]
    old = payload("resolved")
    del old["alerts"][0]["status"]
    outcome = post(ingestion, old).json["alerts"][0]
    assert (outcome["status"], outcome["incident_status"]) == ("resolved", "resolved")
    assert incidents.get(f"/api/v1/incidents/{opened['incident_id']}").json["status"] == "resolved"


def test_unknown_fields_of_newer_alertmanagers_are_ignored(ingestion, payload):
    newer = payload("firing")
    newer["notification_reason"] = "repeat"
    newer["alerts"][0]["silencedBy"] = []
    assert post(ingestion, newer).status_code == 200


def test_truncated_alerts_are_reported(ingestion, payload):
    truncated = payload("firing")
    truncated["truncatedAlerts"] = 3
    assert post(ingestion, truncated).json["truncated_alerts"] == 3


def test_the_severity_mapping_is_in_the_openapi_document(ingestion):
    spec = ingestion.get("/docs/openapi.json").json
    operation = spec["paths"]["/api/v1/alerts/alertmanager"]["post"]
    for text in ("`critical` from `critical`", "`high` from `error`", "`medium` from `warning`", "`info`", "`none`"):
        assert text in operation["description"]


def test_a_large_group_fits_within_the_receivers_own_body_limit(ingestion, payload, sql):
    group = payload("grouped")
    template = group["alerts"][0]
    group["alerts"] = [
        {
            **template,
            "labels": {**template["labels"], "instance": f"db-{i}:9100"},
            "fingerprint": f"{i:016x}",
            "annotations": {"description": "x" * 1500},
        }
        for i in range(200)
    ]
    response = post(ingestion, group)  # about 400 KB, above the 256 KB of POST /api/v1/alerts
    assert response.status_code == 200
    assert response.json["received"] == 200
    assert sql("SELECT count(*) FROM alerts") == [(200,)]
