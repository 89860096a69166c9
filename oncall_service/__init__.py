"""On-call service (port 8003): people (users, teams), schedules, rotations, who is on call, escalation policies
and their chains."""

from oncall_service import api, metrics, oncall_api
from oncall_service.escalation import api as escalation_api
from oncall_service.escalation import bootstrap, incidents_client, policies_api, preferences_api
from oncall_service.identity import teams_api, users_api
from servicekit import create_service_app

SETTINGS = {
    "INCIDENT_MANAGEMENT_URL": "http://incident-management:8002",
    "INCIDENT_MANAGEMENT_CONNECT_TIMEOUT": 0.5,
    "INCIDENT_MANAGEMENT_TIMEOUT": 5.0,
    # A schedule created without escalation_timeout_seconds gets this one.
    "DEFAULT_ESCALATION_TIMEOUT_SECONDS": 300,
    **bootstrap.SETTINGS,  # the platform's own team and policy
}


def create_app(test_config=None):
    app, api_ = create_service_app(__name__, "On-call", SETTINGS, test_config)
    api_.register_blueprint(api.blp)
    api_.register_blueprint(oncall_api.blp)
    api_.register_blueprint(users_api.blp)
    api_.register_blueprint(teams_api.blp)
    api_.register_blueprint(escalation_api.blp)
    api_.register_blueprint(policies_api.blp)
    api_.register_blueprint(preferences_api.blp)
    incidents_client.init_app(app)
    metrics.notifications_sent.labels(channel="log")  # exported as 0 from the start
    bootstrap.init_app(app)
    return app
