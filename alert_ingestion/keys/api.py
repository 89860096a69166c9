"""The admin resource of integration keys: `/api/v1/integration-keys`.

Every view here is for admins; the keys themselves are checked on the ingestion paths (verification).
"""

from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema

from alert_ingestion.keys import repository, tokens, verification
from alert_ingestion.keys.schemas import (
    IntegrationKeyChangeSchema,
    IntegrationKeyCreatedSchema,
    IntegrationKeyCreateSchema,
    IntegrationKeyQueryArgsSchema,
    IntegrationKeySchema,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import Conflict, NotFound
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint(
    "integration_keys",
    __name__,
    url_prefix="/api/v1/integration-keys",
    description="Keys that alert sources send (Authorization: Bearer ipk_...)",
)


@blp.route("")
class IntegrationKeys(MethodView):
    @auth.role("admin")
    @blp.arguments(IntegrationKeyQueryArgsSchema, location="query")
    @blp.response(200, page_schema(IntegrationKeySchema, "IntegrationKeyPage"))
    def get(self, args):
        """List integration keys, newest first (never the keys themselves)"""
        with db.transaction() as cur:
            rows, total = repository.list_keys(cur, args.get("revoked"), args["page_size"], offset_of(args))
        return page_of(rows, total, args)

    @auth.role("admin")
    @blp.arguments(IntegrationKeyCreateSchema)
    @blp.response(201, IntegrationKeyCreatedSchema, description="The key is in `key`, shown this once")
    def post(self, fields):
        """Create an integration key for an alert source"""
        key = tokens.generate()
        with db.transaction() as cur:
            created = repository.insert_key(cur, fields, tokens.digest(key), tokens.shown_prefix(key))
        return {**created, "last_alert_at": None, "key": key}


@blp.route("/<id:key_id>")
class IntegrationKeyById(MethodView):
    @auth.role("admin")
    @blp.response(200, IntegrationKeySchema)
    def get(self, key_id):
        """Read one integration key"""
        with db.transaction() as cur:
            return _existing(cur, key_id)

    @auth.role("admin")
    @blp.arguments(IntegrationKeyChangeSchema)
    @blp.response(200, IntegrationKeySchema)
    @blp.alt_response(409, schema=ErrorSchema, description="The key is revoked")
    def patch(self, changes, key_id):
        """Rename a key or change the service/team of its alerts (takes effect within seconds)"""
        with db.transaction() as cur:
            current = _existing(cur, key_id)
            if current["revoked_at"] is not None:
                raise Conflict(f"integration key {key_id} is revoked and cannot be changed")
            if repository.update_key(cur, current["id"], changes) is None:
                raise Conflict(f"integration key {key_id} was revoked meanwhile and cannot be changed")
            changed = repository.get_key(cur, current["id"])
        verification.forget(changed["id"])
        return changed


@blp.route("/<id:key_id>/revoke")
class IntegrationKeyRevocation(MethodView):
    @auth.role("admin")
    @blp.response(200, IntegrationKeySchema, description="Revoked (or already revoked)")
    def post(self, key_id):
        """Revoke an integration key: its source gets 401 within seconds (the record stays, for its alerts)"""
        with db.transaction() as cur:
            current = _existing(cur, key_id)
            if current["revoked_at"] is None:
                repository.revoke_key(cur, current["id"], None)
                current = repository.get_key(cur, current["id"])
        verification.forget(current["id"])
        return current


def _existing(cur, key_id):
    key = repository.get_key(cur, parse_uuid(key_id, "key_id"))
    if key is None:
        raise NotFound(f"integration key {key_id} not found")
    return key
