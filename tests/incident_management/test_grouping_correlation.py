"""Grouping rules on a real database: the rules API, correlation by group, the threshold, and concurrency.

Concurrent alerts go over real HTTP to incident management served in threads, all released at once.
"""

import concurrent.futures
import threading
import uuid

import pytest
import requests

import incident_management
from incident_management.resolution import alerts as resolutions

RULES = "/api/v1/grouping-rules"


@pytest.fixture
def app(make_app):
    return make_app(incident_management.create_app, GROUPING_RULES_CACHE_SECONDS=0.0, DB_POOL_MAX=20)


@pytest.fixture
def client(app):
    return app.test_client()


def alert(alertname="DiskFull", service="checkout", severity="high", **labels):
    return {
        "alert_id": str(uuid.uuid4()),
        "service": service,
        "severity": severity,
        "message": f"{alertname} on db-1",
        "labels": {"alertname": alertname, **labels},
    }


def attach(client, body):
    response = client.post("/api/v1/incidents/alerts", json=body)
    assert response.status_code == 200, response.json
    return response.json


def put_rule(client, service="checkout", **body):
    response = client.put(f"{RULES}/{service}", json={"group_by": ["labels.alertname"], **body})
    assert response.status_code == 200, response.json
    return response.json


def incidents_of(sql, service="checkout"):
    return sql(
        "SELECT i.id, i.alert_count, i.group_key, (SELECT count(*) FROM incident_alerts ia WHERE ia.incident_id = i.id)"
        " FROM incidents i WHERE service = %s ORDER BY created_at",
        (service,),
    )


def test_rules_are_set_read_listed_replaced_and_removed(client):
    assert client.get(RULES).json == []
    made = put_rule(client, group_by=["labels.alertname", "labels.instance"], threshold=3)
    assert (made["service"], made["group_by"], made["threshold"]) == (
        "checkout",
        ["labels.alertname", "labels.instance"],
        3,
    )
    assert client.get(f"{RULES}/checkout").json["group_by"] == ["labels.alertname", "labels.instance"]
    replaced = put_rule(client)
    assert (replaced["group_by"], replaced["threshold"]) == (["labels.alertname"], 1)
    assert [rule["service"] for rule in client.get(RULES).json] == ["checkout"]
    assert client.delete(f"{RULES}/checkout").status_code == 204
    assert client.get(f"{RULES}/checkout").status_code == 404
    assert client.delete(f"{RULES}/checkout").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "group_by"),
        ({"group_by": []}, "group_by"),
        ({"group_by": ["severity"]}, "group_by"),
        ({"group_by": ["labels.a", "labels.a"]}, "group_by"),
        ({"group_by": [f"labels.l{n}" for n in range(11)]}, "group_by"),
        ({"group_by": ["labels.a"], "threshold": 0}, "threshold"),
        ({"group_by": ["labels.a"], "threshold": 1001}, "threshold"),
        ({"group_by": ["labels.a"], "threshold": "many"}, "threshold"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(client, body, field):
    response = client.put(f"{RULES}/checkout", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]
    assert client.get(RULES).json == []


def test_a_too_long_service_name_is_refused(client):
    response = client.put(f"{RULES}/{'s' * 201}", json={"group_by": ["labels.a"]})
    assert response.status_code == 422


def test_without_a_rule_one_service_and_severity_share_one_incident(client, sql):
    first, second = attach(client, alert("DiskFull")), attach(client, alert("HighLatency"))
    assert (first["result"], second["result"]) == ("new_incident", "existing_incident")
    assert first["incident_id"] == second["incident_id"]
    assert incidents_of(sql)[0][2] is None


def test_a_rule_keeps_unrelated_alerts_apart(client, sql):
    put_rule(client)
    disk, latency = attach(client, alert("DiskFull")), attach(client, alert("HighLatency"))
    again = attach(client, alert("DiskFull"))
    assert (disk["result"], latency["result"], again["result"]) == ("new_incident", "new_incident", "existing_incident")
    assert disk["incident_id"] != latency["incident_id"]
    assert again["incident_id"] == disk["incident_id"]
    assert sorted(row[2] for row in incidents_of(sql)) == ['["DiskFull"]', '["HighLatency"]']
    # Other services keep the default.
    other = [attach(client, alert(name, service="search")) for name in ("DiskFull", "HighLatency")]
    assert other[0]["incident_id"] == other[1]["incident_id"]


def test_the_threshold_holds_alerts_until_the_nth_opens_the_incident_with_all(client, sql):
    put_rule(client, threshold=3)
    first, second = alert("DiskFull"), alert("DiskFull")
    for body in (first, second):
        held = attach(client, body)
        assert (held["result"], held["incident_id"]) == ("held", None)
        assert "3 alerts" in held["message"]
    assert attach(client, first)["result"] == "held"  # a repeated delivery changes nothing
    assert attach(client, alert("HighLatency"))["result"] == "held"  # another group counts for itself
    assert incidents_of(sql) == []

    third = attach(client, alert("DiskFull"))
    assert third["result"] == "new_incident"
    [(incident_id, count, _group, attached)] = incidents_of(sql)
    assert str(incident_id) == third["incident_id"] and count == attached == 3
    detail = client.get(f"/api/v1/incidents/{incident_id}").json
    assert {a["id"] for a in detail["alerts"]} == {first["alert_id"], second["alert_id"], third["alert_id"]}
    assert len([e for e in detail["timeline"] if e["event_type"] == "alert_attached"]) == 3
    # The released alerts' repeated deliveries find their incident; alert ingestion is told of it.
    repeated = attach(client, first)
    assert (repeated["result"], repeated["incident_id"]) == ("existing_incident", third["incident_id"])
    queued = sql("SELECT alert_id::text, incident_id::text FROM alert_reference_outbox ORDER BY alert_id")
    assert sorted(queued) == sorted(
        [(first["alert_id"], third["incident_id"]), (second["alert_id"], third["incident_id"])]
    )
    assert sql("SELECT count(*) FROM held_alerts WHERE group_key = '[\"DiskFull\"]'") == [(0,)]
    # Once open, its group's next alert joins at once.
    joined = attach(client, alert("DiskFull"))
    assert (joined["result"], joined["incident_id"]) == ("existing_incident", third["incident_id"])


def test_held_alerts_older_than_the_window_do_not_count(client, sql):
    put_rule(client, threshold=2)
    old = alert("DiskFull")
    attach(client, old)
    sql("UPDATE held_alerts SET held_at = now() - interval '301 seconds'")
    assert attach(client, alert("DiskFull"))["result"] == "held"
    assert attach(client, alert("DiskFull"))["result"] == "new_incident"
    [(_id, count, _group, _attached)] = incidents_of(sql)
    assert count == 2
    assert sql("SELECT alert_id::text FROM held_alerts") == [(old["alert_id"],)]


def hammer(url, bodies):
    """POST every body at once (each from its own thread, released together); returns the answers."""
    start = threading.Barrier(len(bodies))

    def send(body):
        start.wait()
        response = requests.post(f"{url}/api/v1/incidents/alerts", json=body, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    with concurrent.futures.ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, bodies))


def test_simultaneous_alerts_of_one_group_make_one_incident(app, client, live_server, sql):
    put_rule(client)
    answers = hammer(live_server(app), [alert("DiskFull") for _ in range(16)])
    assert sorted(a["result"] for a in answers) == ["existing_incident"] * 15 + ["new_incident"]
    assert [(row[1], row[3]) for row in incidents_of(sql)] == [(16, 16)]


def test_simultaneous_alerts_of_two_groups_make_two_incidents(app, client, live_server, sql):
    put_rule(client)
    answers = hammer(live_server(app), [alert(name) for name in ("DiskFull", "HighLatency") * 8])
    assert len({a["incident_id"] for a in answers}) == 2
    assert sorted((row[2], row[1], row[3]) for row in incidents_of(sql)) == [
        ('["DiskFull"]', 8, 8),
        ('["HighLatency"]', 8, 8),
    ]


def test_simultaneous_alerts_over_a_threshold_open_exactly_one_incident_with_all(app, client, live_server, sql):
    put_rule(client, threshold=5)
    answers = hammer(live_server(app), [alert("DiskFull") for _ in range(12)])
    results = sorted(a["result"] for a in answers)
    assert results == ["existing_incident"] * 7 + ["held"] * 4 + ["new_incident"]
    assert [(row[1], row[3]) for row in incidents_of(sql)] == [(12, 12)]
    assert sql("SELECT count(*) FROM held_alerts") == [(0,)]
    assert sql("SELECT count(*) FROM alert_reference_outbox") == [(4,)]


def test_a_held_alert_resolved_by_its_source_is_recorded_once_its_group_opens(app, client, sql):
    put_rule(client, threshold=2)
    first = alert("DiskFull")
    attach(client, first)
    report = {"alert_id": first["alert_id"], "resolved_at": "2026-12-03T12:00:00+00:00", "source": "alertmanager"}
    answer = client.post("/api/v1/incidents/alerts/resolved", json=report).json
    assert (answer["recorded"], answer["incident_id"]) == (False, None)  # queued: held, in no incident yet

    second = alert("DiskFull")
    opened = attach(client, second)
    assert resolutions.reconcile(app) == 1
    incident = client.get(f"/api/v1/incidents/{opened['incident_id']}").json
    assert {a["id"]: a["status"] for a in incident["alerts"]} == {
        first["alert_id"]: "resolved",
        second["alert_id"]: "firing",
    }
    assert incident["status"] == "open"
    report = {**report, "alert_id": second["alert_id"]}
    assert client.post("/api/v1/incidents/alerts/resolved", json=report).json["incident_resolved"] is True


def test_long_group_values_are_held_and_grouped(client, sql):
    put_rule(client, group_by=["message"], threshold=2)
    bodies = [{**alert(), "message": "🔥" * 3000} for _ in range(2)]
    assert [attach(client, body)["result"] for body in bodies] == ["held", "new_incident"]
    assert [row[1] for row in incidents_of(sql)] == [2]
