"""`/api/v1/maintenance-windows`: windows in which alerts are stored as suppressed; admins manage them."""

import datetime as dt

import marshmallow as ma
from flask.views import MethodView

from alert_ingestion.maintenance import repository, suppression, windows
from alert_ingestion.maintenance.schemas import (
    MaintenanceWindowChangeSchema,
    MaintenanceWindowCreateSchema,
    MaintenanceWindowQueryArgsSchema,
    MaintenanceWindowSchema,
    check_window,
)
from servicekit import auth, db
from servicekit.blueprint import Blueprint
from servicekit.errors import Invalid, NotFound
from servicekit.params import offset_of, page_of, page_schema, parse_uuid

blp = Blueprint(
    "maintenance_windows",
    __name__,
    url_prefix="/api/v1/maintenance-windows",
    description="Maintenance windows: alerts of a service or team stored as suppressed, no incident, no page",
)


def _shown(window, now=None):
    """A window with whether it is on now and its current or next occurrence."""
    now = now or dt.datetime.now(dt.UTC)
    found = windows.occurrence(window, now)
    start, end = found if found else (None, None)
    return {**window, "active": found is not None and start <= now, "next_start": start, "next_end": end}


@blp.route("")
class MaintenanceWindows(MethodView):
    @auth.role("viewer")
    @blp.arguments(MaintenanceWindowQueryArgsSchema, location="query")
    @blp.response(200, page_schema(MaintenanceWindowSchema, "MaintenanceWindowPage"))
    def get(self, args):
        """List maintenance windows, latest first, each saying whether it is on now"""
        with db.transaction() as cur:
            rows, total = repository.list_windows(cur, args, args["page_size"], offset_of(args))
        now = dt.datetime.now(dt.UTC)
        return page_of([_shown(row, now) for row in rows], total, args)

    @auth.role("admin")
    @blp.arguments(MaintenanceWindowCreateSchema)
    @blp.response(201, MaintenanceWindowSchema)
    def post(self, fields):
        """Create a maintenance window, once or repeated every day or week"""
        with db.transaction() as cur:
            created = repository.insert_window(cur, fields)
        suppression.forget()
        return _shown(created)


@blp.route("/<id:window_id>")
class MaintenanceWindowById(MethodView):
    @auth.role("viewer")
    @blp.response(200, MaintenanceWindowSchema)
    def get(self, window_id):
        """Read one maintenance window"""
        with db.transaction() as cur:
            return _shown(_existing(cur, window_id))

    @auth.role("admin")
    @blp.arguments(MaintenanceWindowChangeSchema)
    @blp.response(200, MaintenanceWindowSchema)
    def patch(self, changes, window_id):
        """Change a maintenance window (end it early with `ends_at`)"""
        with db.transaction() as cur:
            merged = {**_existing(cur, window_id), **changes}
            try:
                check_window(merged)
            except ma.ValidationError as invalid:
                raise Invalid("the window would not be valid", errors={"json": invalid.normalized_messages()}) from None
            changed = repository.update_window(cur, merged["id"], merged)
        suppression.forget()
        return _shown(changed)

    @auth.role("admin")
    @blp.response(204)
    def delete(self, window_id):
        """Delete a maintenance window (the alerts it suppressed stay suppressed)"""
        with db.transaction() as cur:
            if repository.delete_window(cur, parse_uuid(window_id, "window_id")) is None:
                raise NotFound(f"maintenance window {window_id} not found")
        suppression.forget()


def _existing(cur, window_id):
    window = repository.get_window(cur, parse_uuid(window_id, "window_id"))
    if window is None:
        raise NotFound(f"maintenance window {window_id} not found")
    return window
