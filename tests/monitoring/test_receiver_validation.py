"""Bad Alertmanager payloads get a 4xx naming the problem, and nothing of them is stored."""

import pytest

from tests.monitoring.conftest import RECEIVER

FIRING = {
    "status": "firing",
    "labels": {"alertname": "DiskFull", "job": "node", "severity": "warning"},
    "annotations": {"summary": "Disk full"},
    "startsAt": "2026-11-27T09:00:00Z",
    "endsAt": "0001-01-01T00:00:00Z",
    "fingerprint": "0123456789abcdef",
}


def alerts(*items):
    return {"version": "4", "status": "firing", "receiver": "incident-platform", "alerts": list(items)}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"alerts": ["Missing data for required field."]}),
        ({"alerts": []}, {"alerts": ["Shorter than minimum length 1."]}),
        (
            {**alerts(FIRING), "version": "3"},
            {"version": ["Only version 4 of Alertmanager's webhook payload is supported."]},
        ),
        ({"alerts": "many"}, {"alerts": ["Not a valid list."]}),
        (alerts({**FIRING, "labels": None}), {"alerts": {"0": {"labels": ["Field may not be null."]}}}),
        (
            alerts({k: v for k, v in FIRING.items() if k != "labels"}),
            {"alerts": {"0": {"labels": ["Missing data for required field."]}}},
        ),
        (alerts({**FIRING, "status": "pending"}), {"alerts": {"0": {"status": ["Must be one of: firing, resolved."]}}}),
        (alerts({**FIRING, "startsAt": "yesterday"}), {"alerts": {"0": {"startsAt": ["Not a valid datetime."]}}}),
        (
            alerts({**FIRING, "labels": {**FIRING["labels"], "cpu": 3}}),
            {"alerts": {"0": {"labels": {"cpu": {"value": ["Not a valid string."]}}}}},
        ),
        (
            alerts({**FIRING, "fingerprint": ""}),
            {"alerts": {"0": {"fingerprint": ["Length must be between 1 and 255."]}}},
        ),
    ],
)
def test_malformed_payloads_get_422_naming_the_field(ingestion, sql, body, errors):
    response = ingestion.post(RECEIVER, json=body)
    assert response.status_code == 422
    assert response.json["errors"]["json"] == errors
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


def test_an_alert_that_names_no_service_is_refused_with_its_position(ingestion, sql):
    nameless = {**FIRING, "labels": {"instance": "db-1:9100", "severity": "critical"}, "fingerprint": "1" * 16}
    response = ingestion.post(RECEIVER, json=alerts(FIRING, nameless))
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {
        "alerts": {"1": {"labels": ["Needs a service, job or alertname label to name the service."]}}
    }
    assert "alerts[1].labels" in response.json["message"]
    assert sql("SELECT count(*) FROM alerts") == [(0,)]  # the valid first alert was not stored either


def test_a_service_name_too_long_for_an_alert_is_refused(ingestion):
    long_service = {**FIRING, "labels": {**FIRING["labels"], "service": "s" * 201}}
    response = ingestion.post(RECEIVER, json=alerts(long_service))
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {"alerts": {"0": {"service": ["Length must be between 1 and 200."]}}}


def test_a_resolved_alert_needs_no_service(ingestion):
    anonymous = {**FIRING, "status": "resolved", "labels": {"instance": "db-1:9100"}}
    response = ingestion.post(RECEIVER, json=alerts(anonymous))
    assert response.status_code == 200
    assert response.json["alerts"][0]["result"] == "not_firing"


@pytest.mark.parametrize("body", ["[1, 2]", '"alerts"', "null"])
def test_a_json_body_that_is_not_an_object_is_refused(ingestion, body):
    response = ingestion.post(RECEIVER, data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {"_schema": ["Invalid input type."]}


def test_malformed_json_is_400(ingestion):
    response = ingestion.post(RECEIVER, data='{"alerts": [', content_type="application/json")
    assert response.status_code == 400


def test_a_body_that_is_not_json_is_415(ingestion):
    response = ingestion.post(RECEIVER, data="alerts=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_an_oversized_notification_is_413(ingestion, sql):
    huge = alerts({**FIRING, "annotations": {"description": "x" * (5 * 1024 * 1024)}})
    response = ingestion.post(RECEIVER, json=huge)
    assert response.status_code == 413
    assert sql("SELECT count(*) FROM alerts") == [(0,)]
