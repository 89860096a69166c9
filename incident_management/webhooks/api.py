"""`/api/v1/webhook-subscriptions`: a team's outgoing webhooks, their delivery log and a test event.

Admins manage subscriptions and viewers read them (never the secret). Principals carry one role across the
platform; team membership lives in the on-call service, so "members manage their own team's" would need a
call there on every request: left to admins for now (docs/integrations.md says so).
"""

from flask import current_app
from flask.views import MethodView

from incident_management.webhooks import repository, rules
from incident_management.webhooks import worker as webhook_worker
from incident_management.webhooks.schemas import (
    WebhookDeliveryQueryArgsSchema,
    WebhookDeliverySchema,
    WebhookSubscriptionChangeSchema,
    WebhookSubscriptionCreateSchema,
    WebhookSubscriptionQueryArgsSchema,
    WebhookSubscriptionSchema,
    WebhookSubscriptionSecretSchema,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import Invalid, NotFound
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint(
    "webhook_subscriptions",
    __name__,
    url_prefix="/api/v1/webhook-subscriptions",
    description="Outgoing webhooks: incident events POSTed, signed, to a team's receivers",
)


def _check_url(url):
    """A URL the SSRF rules refuse now is a 422 here (one that does not resolve yet may later: accepted)."""
    problem = webhook_worker.client(current_app).problem(url)
    if problem:
        raise Invalid(f"url refused: {problem}", errors={"json": {"url": [problem]}})


@blp.route("")
class WebhookSubscriptions(MethodView):
    @auth.role("viewer")
    @blp.arguments(WebhookSubscriptionQueryArgsSchema, location="query")
    @blp.response(200, page_schema(WebhookSubscriptionSchema, "WebhookSubscriptionPage"))
    def get(self, args):
        """List webhook subscriptions, by team"""
        with db.transaction() as cur:
            rows, total = repository.list_subscriptions(cur, args.get("team"), args["page_size"], offset_of(args))
        return page_of(rows, total, args)

    @auth.role("admin")
    @blp.arguments(WebhookSubscriptionCreateSchema)
    @blp.response(201, WebhookSubscriptionSecretSchema)
    def post(self, fields):
        """Subscribe a URL to a team's incident events; the answer holds the signing secret, this once"""
        _check_url(fields["url"])
        secret = rules.new_secret()
        with db.transaction() as cur:
            created = repository.insert_subscription(cur, {**fields, "created_by": auth.actor("api")}, secret)
        return {**created, "secret": secret}


@blp.route("/<id:subscription_id>")
class WebhookSubscriptionById(MethodView):
    @auth.role("viewer")
    @blp.response(200, WebhookSubscriptionSchema)
    def get(self, subscription_id):
        """Read one webhook subscription (without its secret)"""
        with db.transaction() as cur:
            return _existing(cur, subscription_id)

    @auth.role("admin")
    @blp.arguments(WebhookSubscriptionChangeSchema)
    @blp.response(200, WebhookSubscriptionSchema)
    def patch(self, changes, subscription_id):
        """Change a subscription: URL, events, service, description, enabled"""
        if "url" in changes:
            _check_url(changes["url"])
        with db.transaction() as cur:
            merged = {**_existing(cur, subscription_id), **changes}
            return repository.update_subscription(cur, merged["id"], merged)

    @auth.role("admin")
    @blp.response(204)
    def delete(self, subscription_id):
        """Delete a subscription and its delivery log"""
        with db.transaction() as cur:
            if repository.delete_subscription(cur, parse_uuid(subscription_id, "subscription_id")) is None:
                raise NotFound(f"webhook subscription {subscription_id} not found")


@blp.route("/<id:subscription_id>/rotate-secret")
class WebhookSecretRotation(MethodView):
    @auth.role("admin")
    @blp.response(200, WebhookSubscriptionSecretSchema)
    def post(self, subscription_id):
        """Replace the signing secret (the old one stops at once); the answer holds the new one, this once"""
        secret = rules.new_secret()
        with db.transaction() as cur:
            _existing(cur, subscription_id)
            rotated = repository.rotate_secret(cur, parse_uuid(subscription_id, "subscription_id"), secret)
        return {**rotated, "secret": secret}


@blp.route("/<id:subscription_id>/test")
class WebhookTestEvent(MethodView):
    @auth.role("admin")
    @blp.response(202, WebhookDeliverySchema)
    def post(self, subscription_id):
        """Queue a `webhook.test` event to this subscription (sent by the worker, logged like any delivery)"""
        with db.transaction() as cur:
            subscription = _existing(cur, subscription_id)
            delivery_id = repository.insert_test_delivery(cur, subscription, rules.test_event_data(subscription))
            return repository.get_delivery(cur, delivery_id)


@blp.route("/<id:subscription_id>/deliveries")
class WebhookDeliveries(MethodView):
    @auth.role("viewer")
    @blp.arguments(WebhookDeliveryQueryArgsSchema, location="query")
    @blp.response(200, page_schema(WebhookDeliverySchema, "WebhookDeliveryPage"))
    def get(self, args, subscription_id):
        """The delivery log of a subscription, newest first: status, attempts, last answer, next attempt"""
        with db.transaction() as cur:
            subscription = _existing(cur, subscription_id)
            rows, total = repository.list_deliveries(
                cur, subscription["id"], args.get("status"), args["page_size"], offset_of(args)
            )
        return page_of(rows, total, args)


def _existing(cur, subscription_id):
    subscription = repository.get_subscription(cur, parse_uuid(subscription_id, "subscription_id"))
    if subscription is None:
        raise NotFound(f"webhook subscription {subscription_id} not found")
    return subscription
