"""`POST /v2/enqueue`: PagerDuty's Events API v2, with one of our integration keys as the routing key.

Point a PagerDuty client's base URL (or Alertmanager's `pagerduty_configs[].url`) at the platform:
a trigger becomes an alert (deduplicated by `dedup_key` within its routing key), an acknowledge
acknowledges its incident, a resolve resolves the alert (and the incident once all of its alerts
are resolved); after a resolve, a trigger with the same key opens a new alert.
"""

import datetime as dt
import functools

import marshmallow as ma
from flask import g, request
from flask.views import MethodView

from alert_ingestion import source_resolution
from alert_ingestion.api import accept_alert
from alert_ingestion.keys import verification
from alert_ingestion.pagerduty import acknowledgement, answers, events
from alert_ingestion.pagerduty.schemas import EventAcceptedSchema, EventRefusedSchema, EventSchema
from alert_ingestion.ratelimit import limiter
from alert_ingestion.schemas import AlertCreateSchema
from servicekit import auth
from servicekit.blueprint import Blueprint
from servicekit.errors import Conflict

blp = Blueprint(
    "pagerduty", __name__, url_prefix="/v2", description="PagerDuty Events API v2 (routing_key: an integration key)"
)
blp.after_request(answers.as_pagerduty)

_ALERT_SCHEMA = AlertCreateSchema()  # loading keeps no state: one instance serves every request
RETRY_AFTER = {"Retry-After": {"description": "Seconds until the window ends", "schema": {"type": "integer"}}}


def routed(view):
    """Outermost: find the routing key in the raw body and count the request once, before validation."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        body = request.get_json(silent=True)
        routing_key = body.get("routing_key") if isinstance(body, dict) else None
        g.integration_key, g.routing_key_problem = None, "Invalid routing key"
        if isinstance(routing_key, str) and routing_key:
            try:
                g.integration_key = verification.verify(routing_key)
            except verification.KeyRefused as refused:
                g.routing_key_problem = f"Invalid routing key: {refused.message}"
        try:
            limiter.check(g.integration_key)
        except limiter.RateLimited as limited:
            return answers.throttled(limited.retry_after)
        return view(*args, **kwargs)

    return wrapper


@blp.route("/enqueue")
class Enqueue(MethodView):
    @auth.public  # like PagerDuty's: the routing key in the event is the credential
    @routed
    @blp.arguments(EventSchema)
    @blp.response(202, EventAcceptedSchema, description="PagerDuty's answer: the event is taken")
    @blp.alt_response(400, schema=EventRefusedSchema, description="PagerDuty's answer: the event is invalid")
    @blp.alt_response(429, description="Too many events for this routing key or address (no body)", headers=RETRY_AFTER)
    def post(self, event):
        """Send an event (trigger, acknowledge, resolve), as to PagerDuty's Events API v2"""
        key = g.integration_key
        if key is None:
            return answers.invalid([g.routing_key_problem])
        if event["event_action"] == "trigger":
            return _trigger(event)
        if event["event_action"] == "acknowledge":
            acknowledgement.acknowledge(event["dedup_key"], key)
        else:
            source_resolution.resolve(event["dedup_key"], events.SOURCE, dt.datetime.now(dt.UTC))
        return answers.accepted(event["dedup_key"])


def _trigger(event):
    dedup_key = event.get("dedup_key") or events.new_dedup_key()
    try:
        alert = _ALERT_SCHEMA.load(events.to_platform_alert(event, dedup_key))
    except ma.ValidationError as invalid:
        return answers.invalid(answers.error_lines(invalid.messages))
    # As PagerDuty's: 202 once the event is stored; the outbox relay correlates it, in batches.
    try:
        accept_alert(alert, source=events.SOURCE, hand_over=False)
    except Conflict:  # its resolution raced this repeat: once more decides
        accept_alert(alert, source=events.SOURCE, hand_over=False)
    return answers.accepted(dedup_key)
