"""On-call service (port 8003): people (users, teams), schedules, rotations, who is on call, escalation."""

from oncall_service import api, escalation, identity, incidents_client, metrics, oncall_api
from servicekit import auth, background, create_service_app

SETTINGS = {
    "INCIDENT_MANAGEMENT_URL": "http://incident-management:8002",
    "INCIDENT_MANAGEMENT_CONNECT_TIMEOUT": 0.5,
    "INCIDENT_MANAGEMENT_TIMEOUT": 5.0,
    # A schedule created without escalation_timeout_seconds gets this one.
    "DEFAULT_ESCALATION_TIMEOUT_SECONDS": 300,
    # How often each worker looks for unacknowledged incidents past their team's timeout.
    "ESCALATION_CHECK_INTERVAL": 5.0,
    # The notification channel of escalation pages (log, email, ...; see the notification service).
    "ESCALATION_CHANNEL": "log",
    **identity.SETTINGS,
}


def create_app(test_config=None):
    app, api_ = create_service_app(__name__, "On-call", SETTINGS, test_config)
    api_.register_blueprint(api.blp)
    api_.register_blueprint(oncall_api.blp)
    identity.init_app(app, api_)
    incidents_client.init_app(app)
    metrics.notifications_sent.labels(channel=app.config["ESCALATION_CHANNEL"])  # exported as 0 from the start
    background.register(app, "escalation-timer", escalation.escalate_overdue, app.config["ESCALATION_CHECK_INTERVAL"])
    auth.check_policies(app)
    return app
