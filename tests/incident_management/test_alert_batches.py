"""`POST /api/v1/incidents/alerts/batch`: several alerts correlated in one call and one transaction."""

import threading
import uuid

import pytest

import incident_management

BATCH = "/api/v1/incidents/alerts/batch"


@pytest.fixture
def app(make_app):
    return make_app(incident_management.create_app)


@pytest.fixture
def client(app):
    return app.test_client()


def alert(service="checkout", severity="high", message="5xx above 2%", **extra):
    return {"alert_id": str(uuid.uuid4()), "service": service, "severity": severity, "message": message, **extra}


def test_a_batch_opens_joins_and_answers_in_order(client, sql):
    alerts = [alert(), alert(severity="low"), alert(), alert(service="cart")]
    response = client.post(BATCH, json={"alerts": alerts})
    assert response.status_code == 200, response.json
    answers = response.json["attachments"]
    assert [a["alert_id"] for a in answers] == [a["alert_id"] for a in alerts]
    assert answers[2]["incident_id"] == answers[0]["incident_id"]
    assert len({answers[0]["incident_id"], answers[1]["incident_id"], answers[3]["incident_id"]}) == 3
    # The batch is attached in lock order, not sent order: one of the two checkout/high alerts opened it.
    assert sorted(answers[n]["result"] for n in (0, 2)) == ["existing_incident", "new_incident"]
    assert answers[1]["result"] == answers[3]["result"] == "new_incident"
    assert sql("SELECT count(*) FROM incident_alerts") == [(4,)]
    assert sql("SELECT sum(alert_count) FROM incidents") == [(4,)]

    again = client.post(BATCH, json={"alerts": alerts})  # a repeated delivery answers the same
    assert again.json == response.json
    assert sql("SELECT count(*) FROM incident_alerts") == [(4,)]


def test_a_bad_alert_refuses_the_batch_naming_it_and_nothing_is_written(client, sql):
    alerts = [alert(), alert(severity="urgent")]
    response = client.post(BATCH, json={"alerts": alerts})
    assert response.status_code == 422
    assert "severity" in response.json["errors"]["json"]["alerts"]["1"]
    assert sql("SELECT count(*) FROM incident_alerts") == [(0,)]
    assert client.post(BATCH, json={"alerts": []}).status_code == 422
    assert client.post(BATCH, json={"alerts": [alert()] * 501}).status_code == 422


def test_concurrent_batches_over_the_same_keys_neither_deadlock_nor_double_incidents(app, sql):
    keys = [(f"svc{n}", severity) for n in range(5) for severity in ("critical", "low")]
    failures = []

    def send(order):
        client = app.test_client()
        for _ in range(4):
            alerts = [alert(service=service, severity=severity) for service, severity in order]
            response = client.post(BATCH, json={"alerts": alerts})
            if response.status_code != 200:
                failures.append(response.json)

    # Opposite orders: attached as sent, they would take the keys' locks in opposite orders.
    threads = [threading.Thread(target=send, args=(order,)) for order in (keys, keys[::-1], keys, keys[::-1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert failures == []
    assert sql("SELECT count(*) FROM incident_alerts") == [(4 * 4 * len(keys),)]
    assert sql("SELECT count(*) FROM (SELECT DISTINCT service, severity FROM incidents) AS k") == [(len(keys),)]
    assert sql("SELECT count(*) FROM incidents") == [(len(keys),)]


def test_a_batch_follows_each_services_grouping_rule_and_holds_below_its_threshold(make_app, sql):
    client = make_app(incident_management.create_app, GROUPING_RULES_CACHE_SECONDS=0.0).test_client()
    rule = {"group_by": ["labels.alertname"], "threshold": 2}
    assert client.put("/api/v1/grouping-rules/checkout", json=rule).status_code == 200
    alerts = [
        alert(labels={"alertname": "DiskFull"}),
        alert(labels={"alertname": "HighLatency"}),
        alert(labels={"alertname": "DiskFull"}),
        alert(service="cart"),  # no rule: the default grouping
    ]
    answers = client.post(BATCH, json={"alerts": alerts}).json["attachments"]
    assert answers[1]["result"] == "held" and answers[1]["incident_id"] is None
    assert "held by the grouping rule of 'checkout'" in answers[1]["message"]
    disk = {answers[0]["result"], answers[2]["result"]}
    assert disk == {"held", "new_incident"}  # the second DiskFull reaches the threshold and opens it with both
    assert answers[3]["result"] == "new_incident"
    rows = sql("SELECT service, group_key, alert_count FROM incidents ORDER BY service")
    assert rows == [("cart", None, 1), ("checkout", '["DiskFull"]', 2)]
