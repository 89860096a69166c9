"""Outgoing webhooks across a PostgreSQL restart (of a private cluster these tests start, never the shared
server): an event committed before the restart is delivered after it, by a worker whose pooled connections
the restart ended."""

import json
import shutil
import uuid

import pytest

import incident_management
from incident_management.webhooks import worker
from nativestack import postgres
from servicekit import db
from tests.ports import closed_port_url, free_port


@pytest.fixture(scope="module")
def private_server():
    data = postgres.DATA_ROOT / f"webhooks-restart-{uuid.uuid4().hex[:8]}"
    url = postgres.start_private_cluster(data, free_port())
    database = postgres.create_database(url, "webhooks_restart")
    postgres.migrate(database)
    yield data, database
    postgres.stop_private_cluster(data)
    shutil.rmtree(data, ignore_errors=True)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_an_event_from_before_a_restart_is_delivered_after_it(private_server, receiver, mode):
    data, database = private_server
    settings = {
        "TESTING": True,
        "DATABASE_URL": database,
        "BACKGROUND_JOBS": False,
        "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "ONCALL_SERVICE_URL": closed_port_url(),
    }
    app = incident_management.create_app(settings)
    client = app.test_client()
    listener = receiver()
    try:
        url = f"http://127.0.0.1:{listener.port}/hook"
        team = f"restart-{mode}"
        body = {"team": team, "url": url, "event_types": ["incident.opened"]}
        assert client.post("/api/v1/webhook-subscriptions", json=body).status_code == 201
        incident = {"title": "db restarting", "service": "db", "severity": "high", "team": team}
        opened = client.post("/api/v1/incidents", json=incident)
        assert opened.status_code == 201
        worker.run_due(app)  # the pool now holds connections the restart will end
        listener.requests.clear()
        second = client.post("/api/v1/incidents", json={**incident, "title": "after the restart"}).json
        postgres.restart_private_cluster(data, mode)
        worker.run_due(app)
        ((request),) = listener.requests
        assert json.loads(request["body"])["incident"]["id"] == second["id"]
    finally:
        db.get_db(app).close()
