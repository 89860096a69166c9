"""Grafana's webhook contact point, with payloads of the shape Grafana's documentation publishes (version 1)."""

import base64
import hashlib
import hmac
import time

import pytest

GRAFANA = "/api/v1/alerts/grafana"
KEYS = "/api/v1/integration-keys"
SECRET = "grafana-signing-secret-for-tests"  # pragma: allowlist secret


def make_key(ingestion, **fields):
    response = ingestion.post(KEYS, json={"name": "grafana-prod", "source": "grafana", **fields})
    assert response.status_code == 201, response.json
    return response.json


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def basic(key, user="grafana"):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{key}".encode()).decode()}


def resolved(payload, index=0):
    """The notification Grafana sends when alert `index` of `payload` stops firing."""
    alert = {**payload["alerts"][index], "status": "resolved", "endsAt": "2026-12-03T08:10:03.157076+02:00"}
    return {**payload, "status": "resolved", "state": "ok", "alerts": [alert]}


def test_each_alert_becomes_an_alert_with_its_links_values_and_an_incident(ingestion, incidents, payload):
    response = ingestion.post(GRAFANA, json=payload("grafana_firing"))
    assert response.status_code == 200, response.json
    answer = response.json
    assert (answer["received"], answer["firing"], answer["resolved"]) == (2, 2, 0)
    fingerprints = ["c6eadffa33fcdf37", "bc97ff14869b13e3"]  # pragma: allowlist secret (Grafana's, hex)
    assert [outcome["fingerprint"] for outcome in answer["alerts"]] == fingerprints
    assert [outcome["result"] for outcome in answer["alerts"]] == ["new_incident", "new_incident"]

    checkout = ingestion.get(f"/api/v1/alerts/{answer['alerts'][0]['alert_id']}").json
    assert (checkout["source"], checkout["service"], checkout["severity"]) == ("grafana", "checkout", "critical")
    assert checkout["message"] == "Checkout is slow in eu-1\n\np99 latency of checkout is above 2 s"
    assert checkout["dedup_key"] == "c6eadffa33fcdf37"
    assert checkout["timestamp"] == "2026-12-03T05:51:03.157076+00:00"
    assert (checkout["labels"]["values.B"], checkout["labels"]["values.C"]) == (2.4839, 1)
    assert checkout["labels"]["grafana_folder"] == "Payments"
    assert [(link["text"], link["href"]) for link in checkout["links"]] == [
        ("runbook_url", "https://runbooks.example.com/checkout-latency"),
        ("Alert rule", "https://grafana.example.com/alerting/grafana/c6eadffa/view?orgId=1"),
        ("Dashboard", "https://grafana.example.com/d/checkout?orgId=1"),
        ("Panel", "https://grafana.example.com/d/checkout?orgId=1&viewPanel=4"),
        (
            "Silence",
            "https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DCheckout+p99+latency",
        ),
    ]
    assert checkout["images"] == [
        {
            "src": "https://grafana.example.com/public/img/attachments/checkout.png",
            "href": "https://grafana.example.com/d/checkout?orgId=1&viewPanel=4",
            "alt": "Grafana panel",
        }
    ]
    memory = ingestion.get(f"/api/v1/alerts/{answer['alerts'][1]['alert_id']}").json
    # No service or job label: the rule's name is the service; no severity label: low, as for Alertmanager.
    assert (memory["service"], memory["severity"], memory["labels"]["team"]) == ("High memory usage", "low", "blue")
    assert [link["text"] for link in memory["links"]] == ["Alert rule", "Silence"]  # empty URLs are not links
    assert memory["images"] == []

    incident = incidents.get(f"/api/v1/incidents/{checkout['incident_id']}").json
    assert "https://grafana.example.com/d/checkout?orgId=1" in [link["href"] for link in incident["links"]]


def test_a_repeat_is_deduplicated_by_fingerprint(ingestion, payload, sql):
    first = ingestion.post(GRAFANA, json=payload("grafana_firing")).json
    again = ingestion.post(GRAFANA, json=payload("grafana_firing"))
    assert again.status_code == 200
    assert [outcome["duplicate"] for outcome in again.json["alerts"]] == [True, True]
    assert [o["alert_id"] for o in again.json["alerts"]] == [o["alert_id"] for o in first["alerts"]]
    assert sql("SELECT count(*) FROM alerts") == [(2,)]


def test_a_resolved_alert_resolves_what_it_opened_and_a_new_firing_opens_anew(ingestion, incidents, payload, sql):
    firing = payload("grafana_firing")
    opened = ingestion.post(GRAFANA, json=firing).json["alerts"][0]
    answer = ingestion.post(GRAFANA, json=resolved(firing)).json
    assert (answer["received"], answer["firing"], answer["resolved"]) == (1, 0, 1)
    [outcome] = answer["alerts"]
    assert (outcome["result"], outcome["alert_id"], outcome["incident_status"]) == (
        "resolved",
        opened["alert_id"],
        "resolved",
    )
    alert = ingestion.get(f"/api/v1/alerts/{opened['alert_id']}").json
    assert (alert["status"], alert["resolved_at"]) == ("resolved", "2026-12-03T06:10:03.157076+00:00")
    assert incidents.get(f"/api/v1/incidents/{opened['incident_id']}").json["status"] == "resolved"
    # The memory alert of the same notification still fires: only what was resolved is.
    assert sql("SELECT status FROM alerts WHERE dedup_key = 'bc97ff14869b13e3'") == [("firing",)]

    assert ingestion.post(GRAFANA, json=resolved(firing)).json["alerts"][0]["result"] == "not_firing"
    again = ingestion.post(GRAFANA, json=firing).json["alerts"][0]
    assert (again["duplicate"], again["result"]) == (False, "new_incident")
    assert again["alert_id"] != opened["alert_id"]


def test_the_keys_service_and_team_route_every_alert(ingestion, payload):
    key = make_key(ingestion, service="storefront", team="payments-team")
    answer = ingestion.post(GRAFANA, json=payload("grafana_firing"), headers=bearer(key["key"])).json
    for outcome in answer["alerts"]:
        alert = ingestion.get(f"/api/v1/alerts/{outcome['alert_id']}").json
        assert (alert["service"], alert["labels"]["team"]) == ("storefront", "payments-team")
        assert alert["integration_key_id"] == key["id"]


@pytest.mark.parametrize("credential", [bearer, basic], ids=["bearer", "basic"])
def test_the_key_as_bearer_or_basic_password_is_taken_and_required_when_asked(make_ingestion, payload, credential):
    ingestion = make_ingestion(INGEST_REQUIRE_KEY=True)
    key = make_key(ingestion)
    assert ingestion.post(GRAFANA, json=payload("grafana_firing")).status_code == 401
    wrong = ingestion.post(GRAFANA, json=payload("grafana_firing"), headers=credential("ipk_" + "x" * 43))
    assert (wrong.status_code, wrong.json["message"]) == (401, wrong.json["message"])
    assert "unknown integration key" in wrong.json["message"]
    answer = ingestion.post(GRAFANA, json=payload("grafana_firing"), headers=credential(key["key"]))
    assert answer.status_code == 200
    stored = ingestion.get(f"/api/v1/alerts/{answer.json['alerts'][0]['alert_id']}").json
    assert stored["integration_key_id"] == key["id"]


def signed_post(ingestion, key, body, header="X-Grafana-Alerting-Signature", signature=None, extra=None):
    signature = signature or hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    headers = {**bearer(key), "Content-Type": "application/json", header: signature, **(extra or {})}
    return ingestion.post(GRAFANA, data=body, headers=headers)


@pytest.fixture
def body(payload):
    import json

    return json.dumps(payload("grafana_firing")).encode()


def test_a_key_with_a_signing_secret_takes_only_grafanas_signature(ingestion, body, sql):
    key = make_key(ingestion, signing_secret=SECRET)
    assert key["signed"] is True and "signing_secret" not in key
    unsigned = ingestion.post(GRAFANA, data=body, headers={**bearer(key["key"]), "Content-Type": "application/json"})
    assert unsigned.status_code == 401
    assert "X-Grafana-Alerting-Signature or X-Grafana-Alert-Signature" in unsigned.json["message"]
    wrong = signed_post(ingestion, key["key"], body, signature="0" * 64)
    assert (wrong.status_code, "does not match" in wrong.json["message"]) == (401, True)
    tampered = signed_post(
        ingestion,
        key["key"],
        body.replace(b"checkout", b"checkouT"),
        signature=hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest(),
    )
    assert tampered.status_code == 401
    assert sql("SELECT count(*) FROM alerts") == [(0,)]
    # Grafana's documentation names one header, its code defaults to the other: both are taken.
    assert signed_post(ingestion, key["key"], body).status_code == 200
    assert signed_post(ingestion, key["key"], body, header="X-Grafana-Alert-Signature").status_code == 200


def test_the_signature_header_is_the_keys_own_when_it_names_one(ingestion, body):
    key = make_key(ingestion, signing_secret=SECRET, signature_header="X-Signature")
    assert key["signature_header"] == "X-Signature"
    assert signed_post(ingestion, key["key"], body).status_code == 401
    assert signed_post(ingestion, key["key"], body, header="X-Signature").status_code == 200


def test_a_signing_time_is_signed_with_the_body_and_must_be_fresh(ingestion, body):
    key = make_key(ingestion, signing_secret=SECRET, signature_timestamp_header="X-Grafana-Alerting-Timestamp")

    def post_at(moment):
        stamp = str(int(moment))
        signature = hmac.new(SECRET.encode(), stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        extra = {"X-Grafana-Alerting-Timestamp": stamp}
        return signed_post(ingestion, key["key"], body, signature=signature, extra=extra)

    assert post_at(time.time()).status_code == 200
    stale = post_at(time.time() - 600)
    assert (stale.status_code, "more than 300 seconds" in stale.json["message"]) == (401, True)
    assert signed_post(ingestion, key["key"], body).status_code == 401  # the body alone is not what was signed


def test_signing_can_be_turned_off_and_the_secret_never_leaves(ingestion, body, sql):
    key = make_key(ingestion, signing_secret=SECRET)
    changed = ingestion.patch(f"{KEYS}/{key['id']}", json={"signing_secret": None})
    assert (changed.status_code, changed.json["signed"]) == (200, False)
    unsigned = ingestion.post(GRAFANA, data=body, headers={**bearer(key["key"]), "Content-Type": "application/json"})
    assert unsigned.status_code == 200
    trail = sql("SELECT before::text, after::text FROM ingestion_audit WHERE record_type = 'integration_keys'")
    assert trail and all(SECRET not in (text or "") for row in trail for text in row)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"signing_secret": "short"}, "signing_secret"),  # pragma: allowlist secret
        ({"signature_header": "X Bad Header"}, "signature_header"),
        ({"signature_timestamp_header": ""}, "signature_timestamp_header"),
    ],
)
def test_bad_signing_settings_are_422(ingestion, change, field):
    response = ingestion.post(KEYS, json={"name": "grafana", **change})
    assert response.status_code == 422
    assert list(response.json["errors"]["json"]) == [field]


def _alert(payload, **changes):
    body = payload("grafana_firing")
    body["alerts"][0].update(changes)
    return body


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda p: {**p("grafana_firing"), "version": "4"}, "version"),
        (lambda p: {k: v for k, v in p("grafana_firing").items() if k != "alerts"}, "alerts"),
        (lambda p: {**p("grafana_firing"), "alerts": []}, "alerts"),
        (lambda p: _alert(p, labels={"alertname": 5}), "alerts"),
        (lambda p: _alert(p, values={"B": "high"}), "alerts"),
        (lambda p: _alert(p, status="pending"), "alerts"),
        (lambda p: _alert(p, startsAt="yesterday"), "alerts"),
        (lambda p: {**p("grafana_firing"), "alerts": [{"status": "firing", "labels": {"zone": "eu-1"}}]}, "alerts"),
    ],
    ids=["version", "no-alerts", "empty-alerts", "label", "values", "status", "startsAt", "no-service"],
)
def test_bad_payloads_are_422_naming_the_field_and_store_nothing(ingestion, payload, sql, change, where):
    response = ingestion.post(GRAFANA, json=change(payload))
    assert response.status_code == 422, response.json
    assert where in response.json["errors"]["json"]
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


@pytest.mark.parametrize("body", [b"[]", b'"firing"', b"{not json"])
def test_a_body_that_is_not_a_payload_object_is_a_clear_4xx(ingestion, body, sql):
    response = ingestion.post(GRAFANA, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert response.json["message"]
    assert sql("SELECT count(*) FROM alerts") == [(0,)]
