"""Liveness and readiness: /health really asks the database."""

from flask import Blueprint, current_app

from servicekit import db
from servicekit.auth import public

bp = Blueprint("health", __name__)


@bp.get("/health")
@public
def health():
    """200 {"status": "ok"} when the database answers, 503 with the reason when it does not."""
    try:
        db.ping(db.get_db())
    except Exception as exc:  # any failure to reach the database means not ready
        current_app.logger.warning("health check failed: %s", exc)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        retry_after = str(current_app.config.get("DB_RETRY_AFTER_SECONDS", 2))
        return {"status": "unavailable", "reason": f"database unreachable: {reason}"}, 503, {"Retry-After": retry_after}
    return {"status": "ok", "service": current_app.name}


@bp.get("/healthz")
@public
def liveness():
    """The process is up (no dependencies checked)."""
    return {"status": "ok"}
