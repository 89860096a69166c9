"""Alert ingestion (port 8001): receives alerts, stores them and hands them to correlation."""

from alert_ingestion import (
    alertmanager_api,
    batch_api,
    delivery,
    incident_resolutions,
    metrics,
    source_resolution,
)
from alert_ingestion.api import blp
from alert_ingestion.grafana import api as grafana_api
from alert_ingestion.heartbeats import api as heartbeats_api
from alert_ingestion.heartbeats import monitor as heartbeat_monitor
from alert_ingestion.keys import api as keys_api
from alert_ingestion.keys import verification
from alert_ingestion.maintenance import api as maintenance_api
from alert_ingestion.maintenance import suppression
from alert_ingestion.pagerduty import acknowledgement
from alert_ingestion.pagerduty import api as pagerduty_api
from alert_ingestion.ratelimit import limiter
from alert_ingestion.webhook import api as webhook_api
from servicekit import audit, auth, background, create_service_app, limits
from servicekit.metrics import DatabaseGauge, add_collector

SETTINGS = {
    "INCIDENT_MANAGEMENT_URL": "http://incident-management:8002",
    "INCIDENT_MANAGEMENT_CONNECT_TIMEOUT": 0.5,
    "INCIDENT_MANAGEMENT_TIMEOUT": 3.0,
    # The request itself delivers; the relay only takes entries older than this.
    "OUTBOX_GRACE_SECONDS": 10.0,
    "OUTBOX_RELAY_INTERVAL": 1.0,
    "OUTBOX_MAX_BACKOFF": 30.0,
    # The relay splits the correlation keys into this many shards, each relayed by one worker at a time; the
    # hand-off after a 202 has one thread per shard in each worker.
    "OUTBOX_RELAY_SHARDS": 2,
    "OUTBOX_ACK_INTERVAL": 0.2,
    # Concurrent requests' alerts share one call to incident management: at most this many alerts per call,
    # and this many calls in flight per worker (alert_ingestion/handoff.py).
    "HANDOFF_MAX_BATCH": 100,
    "HANDOFF_MAX_CALLS": 2,
    # Alerts answered 202 (batches, PagerDuty events) are handed over after the answer, this many per call; a
    # request waits while this many wait already in its worker (back-pressure rather than an unbounded queue).
    "HANDOFF_LATER_MAX_BATCH": 100,
    "HANDOFF_LATER_MAX_WAITING": 150,
    # Alertmanager groups many alerts into one notification: a larger body limit on its receiver only.
    "ALERTMANAGER_MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
    # Integration keys: mandatory on ingestion when true; each worker re-reads a key at most this often.
    "INGEST_REQUIRE_KEY": False,
    "INGEST_KEY_CACHE_SECONDS": 5.0,
    # A signed request (a key with a signing secret and a timestamp header) older or newer than this is refused.
    "INGEST_SIGNATURE_MAX_AGE": 300,
    # Ingestion requests per window per integration key and per client address (0: no limit); the client
    # address is taken from X-Forwarded-For only when the peer is one of TRUSTED_PROXIES (servicekit).
    "INGEST_RATE_WINDOW_SECONDS": 60,
    "INGEST_RATE_LIMIT_PER_KEY": 6000,
    "INGEST_RATE_LIMIT_PER_ADDRESS": 12000,
    # How often each worker looks for overdue heartbeat monitors (the claim is SKIP LOCKED: once across workers).
    "HEARTBEAT_CHECK_INTERVAL": 5.0,
    # Each worker reads the maintenance windows again at most this often (at once after changing one itself).
    "MAINTENANCE_CACHE_SECONDS": 5.0,
}


def create_app(test_config=None):
    app, api = create_service_app(__name__, "Alert ingestion", SETTINGS, test_config)
    api.register_blueprint(blp)
    api.register_blueprint(batch_api.blp)
    api.register_blueprint(alertmanager_api.blp)
    api.register_blueprint(grafana_api.blp)
    api.register_blueprint(webhook_api.blp)
    api.register_blueprint(heartbeats_api.blp)
    api.register_blueprint(maintenance_api.blp)
    api.register_blueprint(keys_api.blp)
    api.register_blueprint(audit.blueprint("ingestion", "ingestion_audit"))
    api.register_blueprint(pagerduty_api.blp)
    api.register_blueprint(incident_resolutions.blp)
    verification.init_app(app)
    suppression.init_app(app)
    limiter.init_app(app)
    # A group of many alerts is larger than one alert: the receiver has its own body limit.
    limits.body_limit(app, alertmanager_api.blp.name, "ALERTMANAGER_MAX_CONTENT_LENGTH")
    limits.body_limit(app, grafana_api.blp.name, "ALERTMANAGER_MAX_CONTENT_LENGTH")  # Grafana's is Alertmanager's
    limits.body_limit(app, batch_api.blp.name, "ALERTMANAGER_MAX_CONTENT_LENGTH")  # up to 100 alerts
    delivery.init_app(app)
    acknowledgement.init_app(app)
    source_resolution.init_app(app)
    add_collector(
        app,
        DatabaseGauge(
            app,
            "alerts_pending_correlation",
            "Alerts stored but not yet attached to an incident",
            [],
            metrics.OUTBOX_PENDING_QUERY,
        ),
    )
    add_collector(
        app,
        DatabaseGauge(
            app,
            "heartbeats",
            "Heartbeat monitors by status (new, up, overdue, paused)",
            ["status"],
            metrics.HEARTBEATS_BY_STATUS_QUERY,
            expected=[(status,) for status in metrics.HEARTBEAT_STATUSES],
        ),
    )
    background.register(app, "heartbeat-check", heartbeat_monitor.check_overdue, app.config["HEARTBEAT_CHECK_INTERVAL"])
    background.register(app, "outbox-relay", delivery.relay_outbox, app.config["OUTBOX_RELAY_INTERVAL"])
    background.register(app, "outbox-acks", delivery.flush_acks, app.config["OUTBOX_ACK_INTERVAL"])
    background.register(app, "rate-window-cleanup", limiter.delete_old_windows, 60.0)
    background.register(
        app, "acknowledgement-relay", acknowledgement.relay_acknowledgements, app.config["OUTBOX_RELAY_INTERVAL"]
    )
    background.register(
        app, "resolution-relay", source_resolution.relay_resolutions, app.config["OUTBOX_RELAY_INTERVAL"]
    )
    auth.check_policies(app)  # every view says who may call it, or the service does not start
    return app
