"""`/api/v1/heartbeats`: heartbeat monitors, managed by admins, read by viewers, pinged by their sources."""

import psycopg2.errors
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema

from alert_ingestion import intake
from alert_ingestion.heartbeats import monitor, repository
from alert_ingestion.heartbeats.schemas import (
    HeartbeatChangeSchema,
    HeartbeatCreateSchema,
    HeartbeatQueryArgsSchema,
    HeartbeatSchema,
    PingAnswerSchema,
)
from alert_ingestion.keys import routing
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import Conflict, Forbidden, Invalid, NotFound
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint(
    "heartbeats",
    __name__,
    url_prefix="/api/v1/heartbeats",
    description="Heartbeat monitors (dead man's switches): overdue pings open an incident, the next ping resolves it",
)


@blp.route("")
class Heartbeats(MethodView):
    @auth.role("viewer")
    @blp.arguments(HeartbeatQueryArgsSchema, location="query")
    @blp.response(200, page_schema(HeartbeatSchema, "HeartbeatPage"))
    def get(self, args):
        """List heartbeat monitors, overdue first"""
        with db.transaction() as cur:
            rows, total = repository.list_heartbeats(cur, args.get("overdue"), args["page_size"], offset_of(args))
        return page_of(rows, total, args)

    @auth.role("admin")
    @blp.arguments(HeartbeatCreateSchema)
    @blp.response(201, HeartbeatSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="A monitor of that name exists")
    def post(self, fields):
        """Create a heartbeat monitor: it starts watching at its first ping"""
        with db.transaction() as cur:
            return _stored(fields, repository.insert_heartbeat, cur, fields)


@blp.route("/<id:heartbeat_id>")
class HeartbeatById(MethodView):
    @auth.role("viewer")
    @blp.response(200, HeartbeatSchema)
    def get(self, heartbeat_id):
        """Read one heartbeat monitor"""
        with db.transaction() as cur:
            return _existing(cur, heartbeat_id)

    @auth.role("admin")
    @blp.arguments(HeartbeatChangeSchema)
    @blp.response(200, HeartbeatSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="A monitor of that name exists")
    def patch(self, changes, heartbeat_id):
        """Change, pause or resume a heartbeat monitor"""
        with db.transaction() as cur:
            changed = _stored(
                changes, repository.update_heartbeat, cur, parse_uuid(heartbeat_id, "heartbeat_id"), changes
            )
        if changed is None:
            raise NotFound(f"heartbeat {heartbeat_id} not found")
        return changed

    @auth.role("admin")
    @blp.response(204)
    def delete(self, heartbeat_id):
        """Delete a heartbeat monitor (an alert it opened stays, to be resolved by hand)"""
        with db.transaction() as cur:
            if repository.delete_heartbeat(cur, parse_uuid(heartbeat_id, "heartbeat_id")) is None:
                raise NotFound(f"heartbeat {heartbeat_id} not found")


@blp.route("/<id:heartbeat_id>/ping")
class HeartbeatPing(MethodView):
    @auth.public
    @intake.checked
    @intake.document(blp)
    @blp.response(200, PingAnswerSchema, description="Recorded; `resolved` when it ended an overdue spell")
    @blp.alt_response(403, schema=ErrorSchema, description="The monitor takes pings with another integration key")
    def post(self, heartbeat_id):
        """Ping a heartbeat monitor (any body is ignored, so an Alertmanager webhook may ping it)"""
        pinged = monitor.ping(parse_uuid(heartbeat_id, "heartbeat_id"), routing.current_key_id())
        if pinged is None:
            with db.transaction() as cur:
                existing = _existing(cur, heartbeat_id)
            raise Forbidden(f"heartbeat {existing['name']!r} takes pings only with its own integration key")
        return pinged


def _existing(cur, heartbeat_id):
    heartbeat = repository.get_heartbeat(cur, parse_uuid(heartbeat_id, "heartbeat_id"))
    if heartbeat is None:
        raise NotFound(f"heartbeat {heartbeat_id} not found")
    return heartbeat


def _stored(fields, write, *args):
    """Run a write whose name must be free and whose integration key must exist: 409 and 422 otherwise."""
    try:
        return write(*args)
    except psycopg2.errors.UniqueViolation:
        raise Conflict(f"a heartbeat named {fields.get('name')!r} exists") from None
    except psycopg2.errors.ForeignKeyViolation:
        problem = {"integration_key_id": [f"No integration key {fields.get('integration_key_id')}."]}
        raise Invalid("unknown integration key", errors={"json": problem}) from None
