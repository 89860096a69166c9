"""People and access: users, their contact methods, teams, sign-in, sessions and API tokens.

Identity lives in the on-call service because it already owned the people (schedule members); schedules
refer to users by id. Other services learn who a caller is through this service's API (the internal verify
endpoint), never its tables.
"""

from oncall_service.identity import (
    auth_api,
    bootstrap,
    notification_rules_api,
    sessions,
    teams_api,
    tokens_api,
    users_api,
)
from servicekit import auth, db
from servicekit.config import ConfigError

SETTINGS = {
    # The first admin (never a built-in password: without ADMIN_PASSWORD nobody can sign in with one).
    "ADMIN_EMAIL": "admin@localhost",
    "ADMIN_PASSWORD": "",
    "ADMIN_API_KEY": "",  # optional: an API token of that admin, for automation
    "SESSION_LIFETIME_SECONDS": 43200,  # a session ends 12 hours after sign-in at the latest
    "SESSION_IDLE_TIMEOUT_SECONDS": 7200,  # ... or after 2 hours without use
    "SESSION_COOKIE_SECURE": False,  # true behind HTTPS: the browser sends the cookie over HTTPS only
    "LOGIN_MAX_FAILURES": 5,  # failed sign-ins of one e-mail address within LOGIN_LOCKOUT_SECONDS lock it out
    "LOGIN_LOCKOUT_SECONDS": 300,
    "PASSWORD_MIN_LENGTH": 12,
}


def init_app(app, api):
    password = app.config["ADMIN_PASSWORD"]
    if password and len(password) < app.config["PASSWORD_MIN_LENGTH"]:
        raise ConfigError(f"ADMIN_PASSWORD must have at least {app.config['PASSWORD_MIN_LENGTH']} characters")
    blueprints = (users_api.blp, notification_rules_api.blp, teams_api.blp, auth_api.blp, tokens_api.blp)
    for blueprint in (*blueprints, tokens_api.internal_blp):
        api.register_blueprint(blueprint)
    settings = sessions.Settings.of(app.config)

    def verify(kind, value):
        with db.transaction() as cur:
            return sessions.verify(cur, kind, value, settings)

    auth.set_verifier(app, verify)
    bootstrap.init_app(app)
