"""Heartbeat monitors over a real incident management: overdue opens one incident, the next ping resolves it."""

import threading

import pytest

from alert_ingestion.heartbeats import monitor

HEARTBEATS = "/api/v1/heartbeats"
KEYS = "/api/v1/integration-keys"
BACKUP = {"name": "nightly-backup", "service": "backups", "team": "storage", "interval_seconds": 60}


@pytest.fixture
def app(make_app, incidents_app, live_server):
    import alert_ingestion

    url = live_server(incidents_app)
    return make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=url)


@pytest.fixture
def client(app):
    return app.test_client()


def create(client, **fields):
    response = client.post(HEARTBEATS, json={**BACKUP, **fields})
    assert response.status_code == 201, response.json
    return response.json


def make_late(sql, heartbeat_id):
    """As if the last ping were older than the interval and the grace together."""
    sql("UPDATE heartbeats SET due_at = now() - interval '1 second' WHERE id = %s", (heartbeat_id,))


def test_a_new_monitor_waits_for_its_first_ping(client, app, sql):
    heartbeat = create(client)
    assert (heartbeat["status"], heartbeat["due_at"], heartbeat["grace_seconds"]) == ("new", None, 60)
    assert heartbeat["ping_path"] == f"/api/v1/heartbeats/{heartbeat['id']}/ping"
    assert monitor.check_overdue(app) == 0
    pinged = client.post(heartbeat["ping_path"])
    assert pinged.status_code == 200
    assert (pinged.json["status"], pinged.json["resolved"]) == ("up", False)
    [(gap,)] = sql("SELECT extract(epoch FROM due_at - last_ping_at) FROM heartbeats")
    assert gap == 120  # interval and grace


def test_overdue_opens_one_incident_and_the_next_ping_resolves_it(client, app, incidents, sql):
    heartbeat = create(client)
    client.post(heartbeat["ping_path"])
    make_late(sql, heartbeat["id"])
    assert monitor.check_overdue(app) == 1
    assert monitor.check_overdue(app) == 0  # one alert per overdue spell

    [alert] = client.get("/api/v1/alerts?service=backups").json["items"]
    assert (alert["source"], alert["severity"], alert["dedup_key"]) == (
        "heartbeat",
        "critical",
        f"heartbeat:{heartbeat['id']}",
    )
    assert alert["labels"] == {"heartbeat": "nightly-backup", "heartbeat_id": heartbeat["id"], "team": "storage"}
    assert alert["message"].startswith("Heartbeat 'nightly-backup' is overdue: no ping since ")
    incident = incidents.get(f"/api/v1/incidents/{alert['incident_id']}").json
    assert (incident["status"], incident["severity"], incident["team"]) == ("open", "critical", "storage")
    assert client.get(f"{HEARTBEATS}/{heartbeat['id']}").json["status"] == "overdue"
    assert client.get(f"{HEARTBEATS}?overdue=true").json["total"] == 1

    back = client.post(heartbeat["ping_path"]).json
    assert (back["status"], back["resolved"], back["overdue_since"]) == ("up", True, None)
    assert client.get(f"/api/v1/alerts/{alert['id']}").json["status"] == "resolved"
    assert incidents.get(f"/api/v1/incidents/{alert['incident_id']}").json["status"] == "resolved"
    assert client.post(heartbeat["ping_path"]).json["resolved"] is False

    make_late(sql, heartbeat["id"])  # silent again: a new spell, a new alert
    assert monitor.check_overdue(app) == 1
    assert sql("SELECT status FROM alerts ORDER BY received_at") == [("resolved",), ("firing",)]


def test_a_maintenance_window_holds_a_late_monitor_back_until_it_ends(client, app, sql):
    heartbeat = create(client)
    client.post(heartbeat["ping_path"])
    window = client.post(
        "/api/v1/maintenance-windows",
        json={
            "name": "backup host reboot",
            "team": "storage",
            "starts_at": "2026-01-01T00:00:00Z",
            "ends_at": "2099-01-01T00:00:00Z",
        },
    ).json
    make_late(sql, heartbeat["id"])
    assert monitor.check_overdue(app) == 0, "the window is on: nobody is paged"
    assert sql("SELECT overdue FROM heartbeats") == [(False,)]

    client.patch(f"/api/v1/maintenance-windows/{window['id']}", json={"ends_at": "2026-01-01T00:00:01Z"})
    assert monitor.check_overdue(app) == 1, "still late once the window ended: now it pages"


def test_several_workers_open_an_overdue_monitors_incident_exactly_once(make_app, app, client, incidents_app, sql):
    import alert_ingestion

    workers = [
        app,
        *(
            make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=app.config["INCIDENT_MANAGEMENT_URL"])
            for _ in range(3)
        ),
    ]
    heartbeats = [create(client, name=f"cron-{n}", service=f"cron-{n}") for n in range(5)]
    for heartbeat in heartbeats:
        client.post(heartbeat["ping_path"])
        make_late(sql, heartbeat["id"])
    start, opened = threading.Barrier(len(workers) * 2), []

    def work(worker):
        start.wait()
        opened.append(monitor.check_overdue(worker))

    threads = [threading.Thread(target=work, args=(worker,)) for worker in workers * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(opened) == 5
    assert sql("SELECT service, count(*) FROM alerts GROUP BY service ORDER BY service") == [
        (f"cron-{n}", 1) for n in range(5)
    ]
    incidents = incidents_app.test_client().get("/api/v1/incidents?page_size=50").json
    assert sorted(item["service"] for item in incidents["items"]) == [f"cron-{n}" for n in range(5)]


def test_a_paused_monitor_is_not_overdue_and_resumes_with_a_fresh_interval(client, app, sql):
    heartbeat = create(client)
    client.post(heartbeat["ping_path"])
    paused = client.patch(f"{HEARTBEATS}/{heartbeat['id']}", json={"paused": True}).json
    assert paused["status"] == "paused"
    make_late(sql, heartbeat["id"])
    assert monitor.check_overdue(app) == 0
    resumed = client.patch(f"{HEARTBEATS}/{heartbeat['id']}", json={"paused": False}).json
    assert resumed["status"] == "up"
    [(ahead,)] = sql("SELECT due_at > now() + interval '100 seconds' FROM heartbeats")
    assert ahead
    assert monitor.check_overdue(app) == 0


def test_a_monitor_with_its_own_key_takes_pings_only_with_it(client, sql):
    key = client.post(KEYS, json={"name": "backup-cron"}).json
    other = client.post(KEYS, json={"name": "someone-else"}).json
    heartbeat = create(client, integration_key_id=key["id"])
    assert client.post(heartbeat["ping_path"]).status_code == 403
    wrong = client.post(heartbeat["ping_path"], headers={"Authorization": f"Bearer {other['key']}"})
    assert (wrong.status_code, "its own integration key" in wrong.json["message"]) == (403, True)
    assert sql("SELECT last_ping_at FROM heartbeats") == [(None,)]
    right = client.post(heartbeat["ping_path"], headers={"Authorization": f"Bearer {key['key']}"})
    assert (right.status_code, right.json["status"]) == (200, "up")


def test_alertmanagers_webhook_body_pings_it(client, payload):
    heartbeat = create(client)
    watchdog = {
        "version": "4",
        "status": "firing",
        "receiver": "watchdog",
        "alerts": [{"status": "firing", "labels": {"alertname": "Watchdog", "severity": "none"}, "annotations": {}}],
    }
    assert client.post(heartbeat["ping_path"], json=watchdog).json["status"] == "up"


def test_pings_are_counted_and_monitors_exported_by_status(client, app, sql):
    heartbeat = create(client)
    create(client, name="never-pinged")
    client.post(heartbeat["ping_path"])
    make_late(sql, heartbeat["id"])
    monitor.check_overdue(app)
    exported = client.get("/metrics").get_data(as_text=True)
    assert 'heartbeats{status="overdue"} 1.0' in exported
    assert 'heartbeats{status="new"} 1.0' in exported
    assert 'heartbeats{status="paused"} 0.0' in exported
    assert "heartbeat_pings_total" in exported
    assert "heartbeat_alerts_opened_total" in exported


def test_pings_leave_no_audit_rows_but_changes_do(client, sql):
    heartbeat = create(client)
    for _ in range(3):
        client.post(heartbeat["ping_path"])
    client.patch(f"{HEARTBEATS}/{heartbeat['id']}", json={"grace_seconds": 300})
    trail = sql("SELECT action FROM ingestion_audit WHERE record_type = 'heartbeats' ORDER BY id")
    assert trail == [("create",), ("update",)]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"interval_seconds": 5}, "interval_seconds"),
        ({"grace_seconds": -1}, "grace_seconds"),
        ({"severity": "urgent"}, "severity"),
        ({"name": ""}, "name"),
        ({"service": None}, "service"),
        ({"paused": 0}, "paused"),
        ({"interval_seconds": "60"}, "interval_seconds"),
        ({"integration_key_id": "00000000-0000-4000-8000-000000000000"}, "integration_key_id"),
    ],
)
def test_bad_monitors_are_422_naming_the_field(client, fields, field, sql):
    response = client.post(HEARTBEATS, json={**BACKUP, **fields})
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]
    assert sql("SELECT count(*) FROM heartbeats") == [(0,)]


def test_names_are_unique_and_unknown_monitors_404(client):
    heartbeat = create(client)
    assert client.post(HEARTBEATS, json=BACKUP).status_code == 409
    other = create(client, name="other")
    assert client.patch(f"{HEARTBEATS}/{other['id']}", json={"name": "nightly-backup"}).status_code == 409
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.post(f"{HEARTBEATS}/{unknown}/ping").status_code == 404
    assert client.get(f"{HEARTBEATS}/{unknown}").status_code == 404
    assert client.patch(f"{HEARTBEATS}/{unknown}", json={"paused": True}).status_code == 404
    assert client.post(f"{HEARTBEATS}/not-an-id/ping").status_code in (400, 404)
    assert client.delete(f"{HEARTBEATS}/{heartbeat['id']}").status_code == 204
    assert client.delete(f"{HEARTBEATS}/{heartbeat['id']}").status_code == 404
