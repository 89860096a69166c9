"""HTTP resources of the notification service."""

from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema

from notification_service import delivery, hygiene, repository
from notification_service.channels import apprise_urls
from notification_service.schemas import (
    ContactMessageRequestSchema,
    NotificationQueryArgsSchema,
    NotificationSchema,
    NotifyRequestSchema,
    RecipientCheckSchema,
    RecipientSchema,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import NotFound
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint(
    "notifications", __name__, url_prefix="/api/v1", description="Deliver notifications and read the delivery log"
)


@blp.route("/notify")
class Notify(MethodView):
    @auth.role("admin")
    @blp.arguments(NotifyRequestSchema)
    @blp.response(201, NotificationSchema, description="Delivered at once (status sent)")
    @blp.alt_response(
        202,
        schema=NotificationSchema,
        description="Stored but not delivered: status pending (retried in the background) or failed "
        "(the receiver refused it for good; last_error says why)",
    )
    @auth.role("admin")
    @blp.alt_response(
        200, schema=NotificationSchema, description="A repeat of a stored dedup_key: the stored notification"
    )
    @auth.role("admin")
    @blp.alt_response(409, schema=ErrorSchema, description="The dedup_key is used by a different notification")
    def post(self, request):
        """Deliver a notification over a channel (log, webhook, email, slack) and record the delivery"""
        return delivery.submit(request)


@blp.route("/contact-messages")
class ContactMessages(MethodView):
    @auth.internal
    @blp.arguments(ContactMessageRequestSchema)
    @blp.response(201, NotificationSchema, description="Delivered at once (status sent)")
    @blp.alt_response(
        202,
        schema=NotificationSchema,
        description="Stored but not delivered: status pending (retried in the background) or failed",
    )
    def post(self, request):
        """Send a contact method its test message or its verification code (about no incident)"""
        return delivery.submit(request)


@blp.route("/recipients/check")
class RecipientCheck(MethodView):
    @auth.internal
    @blp.arguments(RecipientCheckSchema)
    @blp.response(200, RecipientSchema)
    def post(self, request):
        """Check a recipient as a notification would (Apprise's parser, SSRF rules) without sending anything"""
        channel, recipient = request["channel"], request["recipient"]
        apprise = channel == "apprise"
        return {
            "channel": channel,
            "recipient": apprise_urls.masked(recipient) if apprise else recipient,
            "kind": hygiene.kind_of(channel, recipient),
            "service": apprise_urls.SERVICES[apprise_urls.scheme_of(recipient)] if apprise else None,
        }


@blp.route("/notifications")
class Notifications(MethodView):
    @auth.role("viewer")
    @blp.arguments(NotificationQueryArgsSchema, location="query")
    @blp.response(200, page_schema(NotificationSchema, "NotificationPage"))
    def get(self, args):
        """List deliveries, newest first, filtered by incident, recipient, status, channel; paginated"""
        with db.transaction() as cur:
            rows, total = repository.list_notifications(cur, args, args["page_size"], offset_of(args))
        return page_of(rows, total, args)


@blp.route("/notifications/<id:notification_id>")
class NotificationById(MethodView):
    @auth.role("viewer")
    @blp.response(200, NotificationSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="No such notification")
    def get(self, notification_id):
        """Read one delivery: its status, attempts and last error"""
        with db.transaction() as cur:
            notification = repository.get_notification(cur, parse_uuid(notification_id, "notification_id"))
        if notification is None:
            raise NotFound(f"notification {notification_id} not found")
        return notification
