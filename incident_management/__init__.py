"""Incident management (port 8002): incidents, correlation, lifecycle, notes, timeline, MTTA/MTTR."""

from incident_management.actions import api as actions_api
from incident_management.correlation import batch as correlation_batch
from incident_management.correlation.rules import DEFAULT_WINDOW_SECONDS
from incident_management.grouping import api as grouping_api
from incident_management.grouping import cache as grouping_cache
from incident_management.grouping import moves_api, references
from incident_management.lifecycle.api import blp
from incident_management.live import api as live_api
from incident_management.paging import api as paging_api
from incident_management.paging import due as escalation_due
from incident_management.paging import jobs as paging_jobs
from incident_management.reporting import database_metrics
from incident_management.resolution import alerts as resolutions
from incident_management.resolution import api as resolution_api
from incident_management.resolution import notices as resolution_notices
from incident_management.webhooks import api as webhooks_api
from incident_management.webhooks import worker as webhooks
from servicekit import audit, auth, create_service_app

SETTINGS = {
    "CORRELATION_WINDOW_SECONDS": float(DEFAULT_WINDOW_SECONDS),
    # How old each worker's copy of the grouping rules may get before it is read again.
    "GROUPING_RULES_CACHE_SECONDS": 2.0,
    **references.SETTINGS,  # alert ingestion, told of alerts' new incidents
    # How often queued resolutions by alert sources (e.g. Alertmanager) are caught up.
    "SOURCE_RESOLUTION_INTERVAL": 5.0,
    **paging_jobs.SETTINGS,  # on-call and notification services, DEFAULT_TEAM, paging retries
    **escalation_due.SETTINGS,  # escalation as due work
    **live_api.SETTINGS,  # the event stream's limits
    **resolution_notices.SETTINGS,  # telling alert ingestion of incidents resolved here
    **webhooks.SETTINGS,  # outgoing webhooks: allow-list, timeouts, retries
    # Action links in pages (acknowledge/resolve without a session): signed with this secret; none when empty.
    "ACTION_LINK_SECRET": "",
    # Where people reach this service's /api/v1/incidents/actions/ (the gateway), e.g. https://oncall.example.com.
    "ACTION_LINK_BASE_URL": "",
    "ACTION_LINK_MAX_AGE_SECONDS": 12 * 3600,
    # The incident in the UI, linked from the pages, e.g. https://oncall.example.com/incidents/{incident_id}.
    "ACTION_LINK_INCIDENT_URL": "",
}


def create_app(test_config=None):
    app, api = create_service_app(__name__, "Incident management", SETTINGS, test_config)
    api.register_blueprint(blp)
    api.register_blueprint(resolution_api.blp)
    api.register_blueprint(correlation_batch.blp)
    api.register_blueprint(paging_api.blp)
    api.register_blueprint(audit.blueprint("incidents", "incident_audit"))
    api.register_blueprint(live_api.blp)
    api.register_blueprint(grouping_api.blp)
    api.register_blueprint(moves_api.blp)
    api.register_blueprint(webhooks_api.blp)
    app.register_blueprint(actions_api.bp)  # HTML pages for browsers and ntfy, outside the OpenAPI document
    database_metrics.init_app(app)
    resolutions.init_app(app)
    resolution_notices.init_app(app)
    grouping_cache.init_app(app)
    references.init_app(app)
    live_api.init_app(app)
    paging_jobs.init_app(app)
    escalation_due.init_app(app)
    webhooks.init_app(app)
    auth.check_policies(app)  # every view says who may call it, or the service does not start
    return app
