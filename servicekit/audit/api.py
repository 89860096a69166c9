"""GET /api/v1/audit/<area>: a service's audit trail, newest first, filtered (admins only)."""

from flask.views import MethodView

from servicekit import auth, db
from servicekit.audit import repository
from servicekit.audit.schemas import AuditPageSchema, AuditQueryArgsSchema
from servicekit.blueprint import Blueprint
from servicekit.errors import Invalid
from servicekit.params import offset_of, page_of


def blueprint(area, table):
    """The audit trail of `table`, served at /api/v1/audit/<area>."""
    blp = Blueprint("audit", __name__, url_prefix=f"/api/v1/audit/{area}", description="Audit trail")

    @blp.route("")
    class AuditTrail(MethodView):
        @auth.role("admin")
        @blp.arguments(AuditQueryArgsSchema, location="query")
        @blp.response(200, AuditPageSchema)
        def get(self, args):
            """List who changed what, when and from where (newest first)"""
            if args.get("since") and args.get("until") and args["since"] >= args["until"]:
                raise Invalid("since must be before until", errors={"since": ["Must be before until."]})
            with db.transaction() as cur:
                rows, total = repository.find(cur, table, args, args["page_size"], offset_of(args))
            return page_of(rows, total, args)

    return blp
