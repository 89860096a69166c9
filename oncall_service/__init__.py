"""On-call service (port 8003): people (users, teams), schedules, rotations, who is on call, escalation policies
and their chains."""

from oncall_service import api, identity, metrics, oncall_api
from oncall_service.calendars import api as calendars_api
from oncall_service.escalation import api as escalation_api
from oncall_service.escalation import bootstrap, incidents_client, policies_api, preferences_api
from oncall_service.identity import notifications_client, verification_api
from oncall_service.swaps import api as swaps_api
from servicekit import audit, auth, create_service_app

SETTINGS = {
    "INCIDENT_MANAGEMENT_URL": "http://incident-management:8002",
    "INCIDENT_MANAGEMENT_CONNECT_TIMEOUT": 0.5,
    "INCIDENT_MANAGEMENT_TIMEOUT": 5.0,
    # Apprise contact methods are checked by, and tests and verification codes sent through, this service.
    "NOTIFICATION_SERVICE_URL": "http://notification-service:8004",
    "NOTIFICATION_SERVICE_CONNECT_TIMEOUT": 0.5,
    "NOTIFICATION_SERVICE_TIMEOUT": 5.0,
    # A verification code holds this long; after this many wrong codes a new one must be asked for.
    "VERIFICATION_CODE_SECONDS": 600,
    "VERIFICATION_MAX_FAILURES": 5,
    # A schedule created without escalation_timeout_seconds gets this one.
    "DEFAULT_ESCALATION_TIMEOUT_SECONDS": 300,
    **identity.SETTINGS,
    **bootstrap.SETTINGS,  # the platform's own team and policy
}


def create_app(test_config=None):
    app, api_ = create_service_app(__name__, "On-call", SETTINGS, test_config)
    api_.register_blueprint(api.blp)
    api_.register_blueprint(oncall_api.blp)
    identity.init_app(app, api_)
    api_.register_blueprint(verification_api.blp)
    api_.register_blueprint(verification_api.internal)  # not routed by the gateway
    api_.register_blueprint(escalation_api.blp)
    api_.register_blueprint(audit.blueprint("oncall", "oncall_audit"))
    api_.register_blueprint(policies_api.blp)
    api_.register_blueprint(preferences_api.blp)
    api_.register_blueprint(calendars_api.blp)
    api_.register_blueprint(swaps_api.blp)
    incidents_client.init_app(app)
    notifications_client.init_app(app)
    metrics.notifications_sent.labels(channel="log")  # exported as 0 from the start
    bootstrap.init_app(app)
    auth.check_policies(app)
    return app
