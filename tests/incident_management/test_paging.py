"""Paging on incident creation: the on-call and notification services over real HTTP, the paging worker driven by hand.

Incident management runs with its background jobs off; the tests call
paging_jobs.run_due themselves, the way every gunicorn worker's thread does.
"""

import threading

import pytest
from werkzeug.serving import make_server

import incident_management
import notification_service
import oncall_service
from incident_management.paging import jobs as paging_jobs
from tests.ports import free_port

SCHEDULE = {
    "team": "payments",
    "rotation_type": "weekly",
    "members": [
        {"name": "Alice", "email": "alice@example.com", "role": "primary"},
        {"name": "Sam", "email": "sam@example.com", "role": "secondary"},
    ],
}


@pytest.fixture
def serve_on():
    """Serve an app on a given port (so that a service can be 'down' first and come up later)."""
    servers = []

    def serve(app, port):
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def oncall_app(make_app):
    return make_app(oncall_service.create_app)


@pytest.fixture
def notification_app(make_app, tmp_path):
    return make_app(notification_service.create_app, NOTIFICATION_LOG_FILE=str(tmp_path / "notifications.log"))


@pytest.fixture
def ports():
    return {"oncall": free_port(), "notifications": free_port()}


@pytest.fixture
def make_im(make_app, ports):
    def make(**config):
        settings = {
            "ONCALL_SERVICE_URL": f"http://127.0.0.1:{ports['oncall']}",
            "NOTIFICATION_SERVICE_URL": f"http://127.0.0.1:{ports['notifications']}",
            "PAGING_CONNECT_TIMEOUT": 0.5,
            "PAGING_TIMEOUT": 5.0,
            **config,
        }
        return make_app(incident_management.create_app, **settings)

    return make


@pytest.fixture
def services_up(serve_on, ports, oncall_app, notification_app):
    """Both neighbours up, with the payments schedule."""
    serve_on(oncall_app, ports["oncall"])
    serve_on(notification_app, ports["notifications"])
    assert oncall_app.test_client().post("/api/v1/schedules", json=SCHEDULE).status_code == 201
    return oncall_app, notification_app


@pytest.fixture
def im(make_im):
    return make_im()


@pytest.fixture
def client(im):
    return im.test_client()


def create(client, **fields):
    body = {"title": "Card payments failing", "service": "checkout", "severity": "critical", **fields}
    response = client.post("/api/v1/incidents", json=body)
    assert response.status_code == 201, response.json
    return response.json


def detail(client, incident_id):
    return client.get(f"/api/v1/incidents/{incident_id}").json


def events(client, incident_id):
    return [event["event_type"] for event in detail(client, incident_id)["timeline"]]


def notifications(notification_app, incident_id):
    answer = notification_app.test_client().get(f"/api/v1/notifications?incident_id={incident_id}").json
    return [(n["recipient"], n["status"]) for n in answer["items"]]


def make_due(sql):
    sql("UPDATE paging_jobs SET next_attempt_at = now()")


def test_creating_an_incident_only_queues_its_page(client, sql):
    incident = create(client, team="payments")
    assert incident["assigned_to"] is None
    assert sql("SELECT incident_id::text, kind FROM paging_jobs") == [(incident["id"], "page")]
    assert client.post("/api/v1/incidents", json={"title": "x", "severity": "high"}).status_code == 422
    assert sql("SELECT count(*) FROM paging_jobs") == [(1,)]  # nothing half-written by a refused request


def test_page_assigns_the_current_primary_and_notifies_them(im, client, services_up, sql):
    _, notification_app = services_up
    incident = create(client, team="payments")
    assert paging_jobs.run_due(im) == 1
    after = detail(client, incident["id"])
    assert (after["assigned_to"], after["assigned_email"]) == ("Alice", "alice@example.com")
    assert [e["event_type"] for e in after["timeline"]] == ["created", "assigned", "notified"]
    assigned, notified = after["timeline"][1:]
    assert (assigned["actor"], assigned["detail"]["team"]) == ("oncall-service", "payments")
    assert notified["detail"]["recipient"] == "alice@example.com"
    assert notified["detail"]["channel"] == "log"
    assert notifications(notification_app, incident["id"]) == [("alice@example.com", "sent")]
    assert sql("SELECT count(*) FROM paging_jobs") == [(0,)]
    assert paging_jobs.run_due(im) == 0


def test_an_alert_with_a_team_label_pages_that_team(im, client, services_up, sql):
    alert_id = sql(
        "INSERT INTO alerts (service, severity, message, labels, occurred_at) "
        """VALUES ('checkout', 'high', 'p99 above 2s', '{"team": "payments"}', now()) RETURNING id::text"""
    )[0][0]
    body = {"alert_id": alert_id, "service": "checkout", "severity": "high", "message": "p99 above 2s"}
    attached = client.post("/api/v1/incidents/alerts", json={**body, "labels": {"team": "payments"}}).json
    assert attached["result"] == "new_incident"
    paging_jobs.run_due(im)
    assert detail(client, attached["incident_id"])["assigned_to"] == "Alice"
    # A second alert joining the incident pages nobody again.
    second = sql(
        "INSERT INTO alerts (service, severity, message, occurred_at) "
        "VALUES ('checkout', 'high', 'still slow', now()) RETURNING id::text"
    )[0][0]
    client.post("/api/v1/incidents/alerts", json={**body, "alert_id": second, "message": "still slow"})
    assert sql("SELECT count(*) FROM paging_jobs") == [(0,)]


def test_incident_without_team_pages_the_default_team(make_im, services_up):
    im = make_im(DEFAULT_TEAM="payments")
    client = im.test_client()
    incident = create(client)
    paging_jobs.run_due(im)
    after = detail(client, incident["id"])
    assert (after["team"], after["assigned_to"]) == ("payments", "Alice")


@pytest.mark.parametrize(
    ("team", "error"),
    [(None, "has no route and DEFAULT_TEAM is not set"), ("nobody", "team nobody has no on-call schedule")],
)
def test_nobody_to_page_is_recorded_not_retried(im, client, services_up, sql, team, error):
    incident = create(client, **({"team": team} if team else {}))
    paging_jobs.run_due(im)
    failed = detail(client, incident["id"])["timeline"][-1]
    assert failed["event_type"] == "paging_failed"
    assert error in failed["detail"]["error"]
    assert failed["detail"]["will_retry"] is False
    assert sql("SELECT count(*) FROM paging_jobs") == [(0,)]


def test_oncall_service_down_then_back(im, client, serve_on, ports, oncall_app, notification_app, sql):
    serve_on(notification_app, ports["notifications"])
    incident = create(client, team="payments")  # the on-call service is not listening yet
    for _ in range(2):
        assert paging_jobs.run_due(im) == 0
        make_due(sql)
    after = detail(client, incident["id"])
    assert after["assigned_to"] is None
    assert [e["event_type"] for e in after["timeline"]] == ["created", "paging_failed"]  # said once, not per retry
    assert after["timeline"][1]["detail"]["will_retry"] is True
    assert sql("SELECT attempts, last_error LIKE 'on-call service unreachable%' FROM paging_jobs") == [(2, True)]

    serve_on(oncall_app, ports["oncall"])
    oncall_app.test_client().post("/api/v1/schedules", json=SCHEDULE)
    make_due(sql)
    assert paging_jobs.run_due(im) == 1
    assert events(client, incident["id"]) == ["created", "paging_failed", "assigned", "notified"]
    assert detail(client, incident["id"])["assigned_to"] == "Alice"


def test_notification_service_down_then_back(im, client, serve_on, ports, oncall_app, notification_app, sql):
    serve_on(oncall_app, ports["oncall"])
    oncall_app.test_client().post("/api/v1/schedules", json=SCHEDULE)
    incident = create(client, team="payments")
    assert paging_jobs.run_due(im) == 0
    after = detail(client, incident["id"])
    assert after["assigned_to"] == "Alice"  # assigned although nobody could be told yet
    assert [e["event_type"] for e in after["timeline"]] == ["created", "assigned", "paging_failed"]
    assert after["timeline"][-1]["detail"]["stage"] == "notify"
    assert sql("SELECT kind, attempts FROM paging_jobs") == [("notify", 1)]

    serve_on(notification_app, ports["notifications"])
    make_due(sql)
    assert paging_jobs.run_due(im) == 1
    assert events(client, incident["id"])[-1] == "notified"
    assert notifications(notification_app, incident["id"]) == [("alice@example.com", "sent")]


def test_an_assignee_named_at_creation_is_paged_without_lookup(im, client, services_up):
    _, notification_app = services_up
    incident = create(client, team="payments", assigned_to="Dana", assigned_email="dana@example.com")
    paging_jobs.run_due(im)
    assert events(client, incident["id"]) == ["created", "notified"]
    assert notifications(notification_app, incident["id"]) == [("dana@example.com", "sent")]


def test_assignee_hears_when_someone_else_acknowledges_or_resolves(im, client, services_up):
    _, notification_app = services_up
    mine = create(client, team="payments")
    theirs = create(client, team="payments", service="search")
    paging_jobs.run_due(im)

    client.patch(f"/api/v1/incidents/{mine['id']}", json={"status": "acknowledged", "actor": "alice@example.com"})
    client.patch(f"/api/v1/incidents/{theirs['id']}", json={"status": "acknowledged", "actor": "bob"})
    paging_jobs.run_due(im)
    assert len(notifications(notification_app, mine["id"])) == 1  # only the page: she acknowledged herself
    assert len(notifications(notification_app, theirs["id"])) == 2
    acknowledged = detail(client, theirs["id"])["timeline"][-1]
    assert (acknowledged["event_type"], acknowledged["detail"]["reason"]) == ("notified", "acknowledged")

    client.patch(f"/api/v1/incidents/{mine['id']}", json={"status": "resolved", "actor": "bob"})
    paging_jobs.run_due(im)
    resolved = detail(client, mine["id"])["timeline"][-1]
    assert (resolved["event_type"], resolved["detail"]["reason"]) == ("notified", "resolved")


def test_a_new_assignee_set_by_hand_is_told(im, client, services_up):
    _, notification_app = services_up
    incident = create(client, team="payments")
    paging_jobs.run_due(im)
    changes = {"assigned_to": "Dana", "assigned_email": "dana@example.com", "actor": "alice"}
    client.patch(f"/api/v1/incidents/{incident['id']}", json=changes)
    paging_jobs.run_due(im)
    assert ("dana@example.com", "sent") in notifications(notification_app, incident["id"])


def test_resolved_before_paging_pages_nobody(im, client, services_up):
    _, notification_app = services_up
    incident = create(client, team="payments")
    client.patch(f"/api/v1/incidents/{incident['id']}", json={"status": "resolved"})
    paging_jobs.run_due(im)
    assert events(client, incident["id"]) == ["created", "acknowledged", "resolved"]
    assert notifications(notification_app, incident["id"]) == []


def test_concurrent_workers_page_each_incident_once(im, client, services_up, sql):
    _, notification_app = services_up
    made = [create(client, team="payments", service=f"svc-{n}") for n in range(12)]
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        barrier.wait()
        try:
            while paging_jobs.run_due(im):
                pass
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    for incident in made:
        assert events(client, incident["id"]) == ["created", "assigned", "notified"]
        assert notifications(notification_app, incident["id"]) == [("alice@example.com", "sent")]
    assert sql("SELECT count(*) FROM paging_jobs") == [(0,)]
