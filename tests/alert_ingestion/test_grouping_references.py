"""Alert ingestion and incident management over real HTTP with a grouping rule: a held alert's answer, and
ingestion's own reference to each alert's incident kept true after a release or a move (the outbox relay)."""

import threading

import pytest
from werkzeug.serving import make_server

import alert_ingestion
import incident_management
from alert_ingestion import repository
from incident_management.grouping import references
from servicekit import db
from tests.ports import free_port


@pytest.fixture
def serve():
    servers = []

    def run(app, port):
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)

    yield run
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def services(make_app, serve):
    """(ingestion app, incident management app), each knowing the other's address."""
    ingestion_port, im_port = free_port(), free_port()
    im = make_app(
        incident_management.create_app,
        ALERT_INGESTION_URL=f"http://127.0.0.1:{ingestion_port}",
        GROUPING_RULES_CACHE_SECONDS=0.0,
    )
    ingestion = make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=f"http://127.0.0.1:{im_port}")
    serve(im, im_port)
    serve(ingestion, ingestion_port)
    return ingestion, im


def post_alert(client, alertname="DiskFull"):
    body = {"service": "checkout", "severity": "high", "message": f"{alertname} on db-1"}
    return client.post("/api/v1/alerts", json={**body, "labels": {"alertname": alertname}})


def test_held_then_released_alerts_and_moves_reach_ingestions_reference(services, sql):
    ingestion_app, im_app = services
    ingestion, im = ingestion_app.test_client(), im_app.test_client()
    rule = {"group_by": ["labels.alertname"], "threshold": 2}
    assert im.put("/api/v1/grouping-rules/checkout", json=rule).status_code == 200

    held = post_alert(ingestion)
    assert (held.status_code, held.json["result"], held.json["incident_id"]) == (202, "held", None)
    assert "2 alerts" in held.json["message"]
    first = ingestion.get(f"/api/v1/alerts/{held.json['alert_id']}").json
    assert (first["correlation"], first["incident_id"]) == ("held", None)
    assert ingestion.get("/api/v1/alerts?correlation=held").json["total"] == 1

    opened = post_alert(ingestion)
    assert (opened.status_code, opened.json["result"]) == (201, "new_incident")
    incident_id = opened.json["incident_id"]
    assert references.relay(im_app) == 1
    first = ingestion.get(f"/api/v1/alerts/{held.json['alert_id']}").json
    assert (first["correlation"], first["incident_id"]) == ("existing_incident", incident_id)

    split = im.post(f"/api/v1/incidents/{incident_id}/alerts/{opened.json['alert_id']}/move", json={"to": "new"})
    assert split.status_code == 200, split.json
    assert references.relay(im_app) == 1
    second = ingestion.get(f"/api/v1/alerts/{opened.json['alert_id']}").json
    assert (second["incident_id"], second["correlation"]) == (split.json["to_incident_id"], "new_incident")
    assert ingestion.get(f"/api/v1/alerts?incident_id={incident_id}").json["total"] == 1

    # An older answer still being noted (acknowledged in batches) does not undo the move.
    with db.get_db(ingestion_app).connection() as conn, db.cursor_in_transaction(conn) as cur:
        repository.acknowledge_outbox(cur, [(opened.json["alert_id"], incident_id, "new_incident")])
    assert (
        ingestion.get(f"/api/v1/alerts/{opened.json['alert_id']}").json["incident_id"] == split.json["to_incident_id"]
    )
    assert sql("SELECT count(*) FROM alert_reference_outbox") == [(0,)]


def test_references_wait_in_the_outbox_while_ingestion_is_down(make_app, sql):
    im_app = make_app(incident_management.create_app, ALERT_INGESTION_URL=f"http://127.0.0.1:{free_port()}")
    im = im_app.test_client()
    body = {"service": "checkout", "severity": "high", "message": "m"}
    one = im.post("/api/v1/incidents/alerts", json={**body, "alert_id": "6a1f1c0e-0000-4000-8000-000000000001"}).json
    other = im.post(
        "/api/v1/incidents/alerts",
        json={**body, "service": "search", "alert_id": "6a1f1c0e-0000-4000-8000-000000000002"},
    ).json
    assert (
        im.post(f"/api/v1/incidents/{one['incident_id']}/merge", json={"into": other["incident_id"]}).status_code == 200
    )
    assert references.relay(im_app) == 0
    [(attempts, error, due_later)] = sql(
        "SELECT attempts, last_error, next_attempt_at > now() FROM alert_reference_outbox"
    )
    assert (attempts, due_later) == (1, True)
    assert "unreachable" in error


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"references": []},
        {
            "references": [
                {"alert_id": "x", "incident_id": "6a1f1c0e-0000-4000-8000-000000000001", "correlation": "new_incident"}
            ]
        },
        {
            "references": [
                {
                    "alert_id": "6a1f1c0e-0000-4000-8000-000000000001",
                    "incident_id": "6a1f1c0e-0000-4000-8000-000000000001",
                    "correlation": "held",
                }
            ]
        },
    ],
)
def test_bad_reference_reports_are_refused(make_app, body):
    client = make_app(alert_ingestion.create_app).test_client()
    response = client.post("/api/v1/alerts/references", json=body)
    assert response.status_code == 422
    assert "references" in response.json["errors"]["json"]
