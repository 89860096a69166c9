"""Escalation's test set-up: incident management and the on-call service serving each other over real HTTP.

Background jobs are off: a test drives the paging worker and the due escalations by hand,
the way every gunicorn worker's threads do.
"""

import dataclasses
import threading

import pytest
from werkzeug.serving import make_server

import incident_management
import notification_service
import oncall_service
from incident_management.paging import due
from incident_management.paging import jobs as paging_jobs
from tests.ports import free_port

SCHEDULE = {
    "team": "payments",
    "rotation_type": "weekly",
    "escalation_timeout_seconds": 60,
    "members": [
        {"name": "Alice", "email": "alice@example.com", "role": "primary"},
        {"name": "Sam", "email": "sam@example.com", "role": "secondary"},
    ],
}


@dataclasses.dataclass
class Escalation:
    """Both services (test clients and URLs) and helpers to drive and read escalation."""

    im_app: object
    oncall_app: object
    im_url: str
    oncall_url: str
    sql: object
    notification_app: object

    @property
    def im(self):
        return self.im_app.test_client()

    @property
    def oncall(self):
        return self.oncall_app.test_client()

    def schedule(self, **changes):
        response = self.oncall.post("/api/v1/schedules", json={**SCHEDULE, **changes})
        assert response.status_code == 201, response.json
        return response.json

    def open(self, team="payments", page=True, **fields):
        """An incident, paged at its policy's first step unless page=False."""
        body = {"title": "Payments failing", "service": "checkout", "severity": "critical", **fields}
        if team:
            body["team"] = team
        response = self.im.post("/api/v1/incidents", json=body)
        assert response.status_code == 201, response.json
        if page:
            self.page()
        return response.json

    def page(self):
        self.sql("UPDATE paging_jobs SET next_attempt_at = now() WHERE kind = 'page'")
        while paging_jobs.run_due(self.im_app):
            pass

    def make_due(self, incident_id=None):
        """The incident's next step (or every incident's) is due now."""
        self.sql(
            "UPDATE escalation_state SET next_escalation_at = now() - interval '1 second' "
            "WHERE next_escalation_at IS NOT NULL AND (%s::uuid IS NULL OR incident_id = %s::uuid)",
            (incident_id, incident_id),
        )

    def run_due(self):
        return due.run_due(self.im_app)

    def detail(self, incident_id):
        return self.im.get(f"/api/v1/incidents/{incident_id}").json

    def events(self, incident_id, event_type=None):
        timeline = self.detail(incident_id)["timeline"]
        return [e for e in timeline if event_type is None or e["event_type"] == event_type]

    def state(self, incident_id):
        rows = self.sql(
            "SELECT step, round, next_escalation_at IS NOT NULL, final FROM escalation_state WHERE incident_id = %s",
            (incident_id,),
        )
        return rows[0] if rows else None

    def pages(self, incident_id):
        """Recipients of the incident's pages, once the paging worker delivered what is queued, oldest first."""
        self.page()
        answer = self.notifications.get(f"/api/v1/notifications?incident_id={incident_id}&page_size=200").json
        return [n["recipient"] for n in reversed(answer["items"])]

    @property
    def notifications(self):
        return self.notification_app.test_client()


@pytest.fixture
def serve_on():
    """Serve an app on a given port (so that two services can know each other's address before either runs)."""
    servers = []

    def serve(app, port):
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def escalation(make_app, serve_on, sql, tmp_path):
    """Incident management, the on-call service and the notification service (log channel) up."""
    im_port, oncall_port, notify_port = free_port(), free_port(), free_port()
    im_url, oncall_url = f"http://127.0.0.1:{im_port}", f"http://127.0.0.1:{oncall_port}"
    im_app = make_app(
        incident_management.create_app,
        ONCALL_SERVICE_URL=oncall_url,
        NOTIFICATION_SERVICE_URL=f"http://127.0.0.1:{notify_port}",
    )
    oncall_app = make_app(oncall_service.create_app, INCIDENT_MANAGEMENT_URL=im_url)
    notification_app = make_app(notification_service.create_app, NOTIFICATION_LOG_FILE=str(tmp_path / "pages.log"))
    for app, port in ((im_app, im_port), (oncall_app, oncall_port), (notification_app, notify_port)):
        serve_on(app, port)
    return Escalation(im_app, oncall_app, im_url, oncall_url, sql, notification_app)
