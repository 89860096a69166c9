"""`POST /v2/enqueue`: PagerDuty Events API v2 events with exact payloads, answered with PagerDuty's exact bodies."""

import json

import pytest

import alert_ingestion
from alert_ingestion import delivery
from alert_ingestion.pagerduty import acknowledgement, answers, events
from tests.alert_ingestion.conftest import KEYS
from tests.ports import closed_port_url

ENQUEUE = "/v2/enqueue"
INVALID = {"status": "invalid event", "message": "Event object is invalid"}


@pytest.fixture
def app(make_ingestion):
    return make_ingestion()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def incidents(incidents_app):
    return incidents_app.test_client()


@pytest.fixture
def key(client, make_key):
    return make_key(client, name="pd-compatible", source="pagerduty", service="checkout", team="payments-team")


def trigger(routing_key, **overrides):
    """A trigger event as PagerDuty's documentation shows one."""
    event = {
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": "disk-full-db-1",
        "payload": {
            "summary": "Disk 95% full on db-1",
            "timestamp": "2026-11-27T09:02:45.000+0000",
            "severity": "critical",
            "source": "db-1.example.com",
            "component": "postgres",
            "group": "prod-datapipe",
            "class": "disk",
            "custom_details": {"free space": "1 GB", "ping time": 1500, "load": {"1m": 3.2}},
        },
        "images": [
            {
                "src": "https://grafana.example.com/render/disk.png",
                "href": "https://grafana.example.com/d/disk",
                "alt": "Disk usage",
            }
        ],
        "links": [{"href": "https://runbooks.example.com/disk", "text": "Runbook"}],
        "client": "Sample Monitoring Service",
        "client_url": "https://monitoring.example.com",
    }
    event.update(overrides)
    return event


def action(routing_key, event_action, dedup_key="disk-full-db-1"):
    return {"routing_key": routing_key, "event_action": event_action, "dedup_key": dedup_key}


def test_a_trigger_is_answered_as_pagerduty_does_and_becomes_an_alert_and_incident(client, incidents, key):
    response = client.post(ENQUEUE, json=trigger(key["key"]))
    assert response.status_code == 202
    assert response.content_type == "application/json"
    assert response.data == b'{"status":"success","message":"Event processed","dedup_key":"disk-full-db-1"}'
    [alert] = client.get("/api/v1/alerts").json["items"]
    assert (alert["source"], alert["service"], alert["severity"]) == ("pagerduty", "checkout", "critical")
    assert (alert["message"], alert["dedup_key"], alert["integration_key_id"]) == (
        "Disk 95% full on db-1",
        "disk-full-db-1",
        key["id"],
    )
    assert alert["timestamp"] == "2026-11-27T09:02:45+00:00"
    assert alert["labels"] == {
        "source": "db-1.example.com",
        "component": "postgres",
        "group": "prod-datapipe",
        "class": "disk",
        "client": "Sample Monitoring Service",
        "details.free space": "1 GB",
        "details.ping time": 1500,
        "details.load": '{"1m": 3.2}',
        "team": "payments-team",
    }
    assert alert["links"] == [
        {"href": "https://runbooks.example.com/disk", "text": "Runbook"},
        {"href": "https://monitoring.example.com", "text": "Sample Monitoring Service"},
    ]
    assert alert["images"] == trigger("x")["images"]
    incident = incidents.get(f"/api/v1/incidents/{alert['incident_id']}").json
    assert (incident["service"], incident["team"], incident["status"]) == ("checkout", "payments-team", "open")
    assert incident["links"][0]["href"] == "https://runbooks.example.com/disk"


def test_without_a_service_on_the_key_the_source_names_it(client, make_key):
    key = make_key(client, name="plain")
    client.post(ENQUEUE, json=trigger(key["key"]))
    assert client.get("/api/v1/alerts").json["items"][0]["service"] == "db-1.example.com"


def test_a_trigger_without_dedup_key_gets_one_and_repeats_are_one_alert(client, key, sql):
    first = client.post(ENQUEUE, json=trigger(key["key"], dedup_key=None) | {"dedup_key": None})
    assert first.status_code == 400  # null is not a dedup key
    event = trigger(key["key"])
    del event["dedup_key"]
    made = client.post(ENQUEUE, json=event).json["dedup_key"]
    assert len(made) == 32 and int(made, 16) >= 0
    again = client.post(ENQUEUE, json=trigger(key["key"], dedup_key=made))
    assert again.json == {"status": "success", "message": "Event processed", "dedup_key": made}
    assert sql("SELECT count(*) FROM alerts") == [(1,)]


@pytest.mark.parametrize(
    ("theirs", "ours"), [("critical", "critical"), ("error", "high"), ("warning", "medium"), ("info", "low")]
)
def test_severity_is_mapped_onto_ours(client, key, theirs, ours):
    event = trigger(key["key"], dedup_key=f"sev-{theirs}")
    event["payload"]["severity"] = theirs
    client.post(ENQUEUE, json=event)
    assert client.get("/api/v1/alerts").json["items"][0]["severity"] == ours


def test_acknowledge_acknowledges_the_incident(client, incidents, key, sql):
    client.post(ENQUEUE, json=trigger(key["key"]))
    acknowledged = client.post(ENQUEUE, json=action(key["key"], "acknowledge"))
    assert acknowledged.status_code == 202
    assert acknowledged.json == {"status": "success", "message": "Event processed", "dedup_key": "disk-full-db-1"}
    incident_id = client.get("/api/v1/alerts").json["items"][0]["incident_id"]
    incident = incidents.get(f"/api/v1/incidents/{incident_id}").json
    assert incident["status"] == "acknowledged"
    assert "pd-compatible" in json.dumps(incident["timeline"])
    assert client.post(ENQUEUE, json=action(key["key"], "acknowledge")).status_code == 202  # again: no harm
    assert sql("SELECT count(*) FROM alert_acknowledgement_outbox") == [(0,)]


def test_an_acknowledgement_waits_for_incident_management_and_is_applied_once_it_is_back(
    make_app, incidents_url, incidents, make_key, sql
):
    down = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=closed_port_url(), OUTBOX_GRACE_SECONDS=0.0)
    client = down.test_client()
    key = make_key(client)
    assert client.post(ENQUEUE, json=trigger(key["key"])).status_code == 202  # stored; its incident comes later
    assert client.post(ENQUEUE, json=action(key["key"], "acknowledge")).status_code == 202
    assert client.post(ENQUEUE, json=action(key["key"], "acknowledge")).status_code == 202  # a repeat: one entry
    assert sql("SELECT actor FROM alert_acknowledgement_outbox") == [("prometheus-prod",)]
    assert acknowledgement.relay_acknowledgements(down) == 0  # the alert has no incident yet

    back = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url)
    assert delivery.relay_outbox(back) == 1
    assert acknowledgement.relay_acknowledgements(back) == 1
    assert sql("SELECT count(*) FROM alert_acknowledgement_outbox") == [(0,)]
    incident_id = client.get("/api/v1/alerts").json["items"][0]["incident_id"]
    assert incidents.get(f"/api/v1/incidents/{incident_id}").json["status"] == "acknowledged"


def test_the_acknowledgement_relay_backs_off_while_incident_management_fails(make_app, make_key, sql):
    app = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=closed_port_url(), OUTBOX_GRACE_SECONDS=0.0)
    client = app.test_client()
    key = make_key(client)
    client.post(ENQUEUE, json=trigger(key["key"]))
    client.post(ENQUEUE, json=action(key["key"], "acknowledge"))
    sql("UPDATE alerts SET incident_id = gen_random_uuid(), correlation = 'new_incident'")  # as if attached
    assert acknowledgement.relay_acknowledgements(app) == 0
    [(attempts, error, later)] = sql(
        "SELECT attempts, last_error, next_attempt_at > now() FROM alert_acknowledgement_outbox"
    )
    assert (attempts, later) == (1, True)
    assert "unreachable" in error


def test_resolve_resolves_and_a_later_trigger_opens_a_new_alert(client, incidents, key, sql):
    client.post(ENQUEUE, json=trigger(key["key"]))
    resolved = client.post(ENQUEUE, json=action(key["key"], "resolve") | {"payload": {"summary": "ignored"}})
    assert resolved.status_code == 202
    [alert] = client.get("/api/v1/alerts").json["items"]
    assert alert["status"] == "resolved"
    assert incidents.get(f"/api/v1/incidents/{alert['incident_id']}").json["status"] == "resolved"
    client.post(ENQUEUE, json=trigger(key["key"]))
    assert sql("SELECT status FROM alerts ORDER BY received_at") == [("resolved",), ("firing",)]


def test_acknowledge_and_resolve_of_unknown_keys_are_accepted_as_pagerduty_does(client, key):
    for event_action in ("acknowledge", "resolve"):
        response = client.post(ENQUEUE, json=action(key["key"], event_action, dedup_key="never-sent"))
        assert response.status_code == 202


def test_a_dedup_key_belongs_to_its_routing_key(client, make_key, key, sql):
    other = make_key(client, name="other")
    client.post(ENQUEUE, json=trigger(key["key"]))
    client.post(ENQUEUE, json=trigger(other["key"]))
    client.post(ENQUEUE, json=action(other["key"], "resolve"))
    rows = sql("SELECT integration_key_id::text, status FROM alerts ORDER BY received_at")
    assert rows == [(key["id"], "firing"), (other["id"], "resolved")]


def refused(response):
    assert response.status_code == 400
    assert response.content_type == "application/json"
    body = response.json
    assert {k: v for k, v in body.items() if k != "errors"} == INVALID
    assert list(body) == ["status", "message", "errors"]
    return body["errors"]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda e: e.pop("routing_key"), "routing_key: Missing data for required field."),
        (lambda e: e.update(event_action="snooze"), "event_action: Must be one of: trigger, acknowledge, resolve."),
        (lambda e: e.pop("payload"), "payload: 'payload' is missing or blank"),
        (lambda e: e["payload"].pop("summary"), "payload.summary: Missing data for required field."),
        (lambda e: e["payload"].update(summary="x" * 1025), "payload.summary: Length must be between 1 and 1024."),
        (lambda e: e["payload"].update(severity="high"), "payload.severity: Must be one of: critical, error"),
        (lambda e: e["payload"].pop("source"), "payload.source: Missing data for required field."),
        (lambda e: e["payload"].update(timestamp="yesterday"), "payload.timestamp: Not a valid datetime."),
        (lambda e: e.update(links=[{"href": "javascript:alert(1)"}]), "links.0.href: Must be an absolute http(s) URL"),
        (lambda e: e.update(dedup_key="k" * 256), "dedup_key: Length must be between 1 and 255."),
    ],
)
def test_bad_events_get_pagerdutys_400_naming_the_problem_and_store_nothing(client, key, sql, change, says):
    event = trigger(key["key"])
    change(event)
    errors = refused(client.post(ENQUEUE, json=event))
    assert any(error.startswith(says) for error in errors), errors
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


def test_acknowledge_needs_a_dedup_key(client, key):
    event = action(key["key"], "acknowledge")
    del event["dedup_key"]
    assert refused(client.post(ENQUEUE, json=event)) == [
        "dedup_key: 'dedup_key' is required for event_action acknowledge"
    ]


def test_wrong_and_revoked_routing_keys_are_400(client, key, sql):
    unknown = refused(client.post(ENQUEUE, json=trigger("ipk_" + "U" * 43)))
    assert unknown == [
        "Invalid routing key: unknown integration key: check it was copied whole, or ask an admin for a new one"
    ]
    assert refused(client.post(ENQUEUE, json=trigger("R0UT1NGKEY0000000000000000000000")))[0].startswith(
        "Invalid routing key: not an integration key"
    )
    client.post(f"{KEYS}/{key['id']}/revoke")
    revoked = refused(client.post(ENQUEUE, json=trigger(key["key"])))
    assert revoked == [f"Invalid routing key: integration key 'pd-compatible' ({key['prefix']}...) has been revoked"]
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ('{"routing_key": "a"}', "text/plain"),
        ('{"routing_key": "\\u0000"}', "application/json"),
    ],
)
def test_bodies_that_are_not_an_event_get_pagerdutys_400(client, data, content_type):
    errors = refused(client.post(ENQUEUE, data=data, content_type=content_type))
    assert errors and all(isinstance(error, str) for error in errors)


def test_too_many_events_get_pagerdutys_bodiless_429_with_retry_after(make_ingestion, make_key):
    client = make_ingestion(INGEST_RATE_LIMIT_PER_KEY=2, INGEST_RATE_WINDOW_SECONDS=3600).test_client()
    key = make_key(client)
    codes = [client.post(ENQUEUE, json=trigger(key["key"], dedup_key=f"k{n}")).status_code for n in range(2)]
    assert codes == [202, 202]
    throttled = client.post(ENQUEUE, json=trigger(key["key"], dedup_key="k3"))
    assert (throttled.status_code, throttled.data) == (429, b"")
    assert 1 <= int(throttled.headers["Retry-After"]) <= 3600


def test_custom_details_that_are_not_an_object_are_one_label():
    event = {"payload": {"summary": "s", "source": "h", "severity": "info", "custom_details": "free text"}}
    assert events.labels_of(event) == {"source": "h", "details": "free text"}


def test_error_lines_flatten_nested_messages():
    nested = {"json": {"payload": {"severity": ["Must be one of: a."]}, "links": {0: {"href": ["Bad."]}}}}
    assert answers.error_lines(nested) == ["payload.severity: Must be one of: a.", "links.0.href: Bad."]
