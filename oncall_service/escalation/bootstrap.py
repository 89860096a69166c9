"""The platform's own team and policy, there from the first run: its Prometheus alerts page someone.

Prometheus labels every alert it sends with team=PLATFORM_TEAM (monitoring/prometheus.yml,
external_labels), so ServiceDown and the rest follow this team's default policy: one step
reaching PLATFORM_ONCALL_EMAIL (else ADMIN_EMAIL, else platform-oncall@localhost), repeated twice.
Made at start-up, and at the first look-up if the database was not there yet; a team that
already has a default policy keeps it.
"""

import logging

import psycopg2

from oncall_service.escalation import repository
from servicekit import db
from servicekit.errors import ApiError

log = logging.getLogger(__name__)

SETTINGS = {
    "PLATFORM_TEAM": "platform",
    "PLATFORM_ONCALL_EMAIL": "",
    "ADMIN_EMAIL": "",
    "PLATFORM_STEP_SECONDS": 300,
}
FALLBACK_EMAIL = "platform-oncall@localhost"


def platform_policy(config):
    team = config["PLATFORM_TEAM"]
    email = config["PLATFORM_ONCALL_EMAIL"] or config["ADMIN_EMAIL"] or FALLBACK_EMAIL
    step = {"delay_seconds": int(config["PLATFORM_STEP_SECONDS"]), "targets": [_person(email)]}
    return {"team": team, "name": f"{team} default", "repeat": 2, "is_default": True, "steps": [step]}


def _person(email):
    return {"type": "user", "email": email, "name": "Platform on-call"}


def ensure(cur, config):
    """Create the platform team's default policy unless it has one; returns it."""
    policy = repository.default_policy(cur, config["PLATFORM_TEAM"])
    return policy or repository.insert_policy(cur, platform_policy(config))


def init_app(app):
    if not app.config["PLATFORM_TEAM"]:
        return
    try:
        with app.app_context(), db.transaction() as cur:
            ensure(cur, app.config)
    except psycopg2.errors.UniqueViolation:
        pass  # another worker made it a moment earlier
    except (psycopg2.Error, ApiError) as exc:  # no database yet: the first look-up makes it
        log.warning("the platform team's policy is not made yet: %s", exc)
