"""The first admin, from the settings: ADMIN_EMAIL with ADMIN_PASSWORD, and ADMIN_API_KEY as their token.

Runs when the service starts (and again on the first request if the database was not reachable then).
The password is set only while the admin has none, so a password changed later is kept across restarts;
a changed ADMIN_API_KEY replaces the previous one. There is never a built-in password.
"""

import logging

import psycopg2

from oncall_service.identity import access_repository, credentials, passwords, repository
from servicekit import db

log = logging.getLogger(__name__)

# Serialises the workers and replicas that start at once.
# An empty ADMIN_EMAIL (a blank line in .env) means the default, as in make up and compose.
DEFAULT_ADMIN_EMAIL = "admin@localhost"
LOCK_BOOTSTRAP = "SELECT pg_advisory_xact_lock(hashtext('oncall.identity.bootstrap'))"
# The admin becomes one (a schedule may have created them as a responder) when their password is first set.
PROMOTE = "UPDATE users SET role = 'admin', active = true, updated_at = now() WHERE id = %(id)s"
SETTINGS_TOKEN_NAME = "admin-api-key"  # noqa: S105 (not a secret)


def ensure_admin(cur, email, password, api_key):
    """Create or complete the settings' admin; returns the admin's user row (None without a password)."""
    if not password:
        return None
    cur.execute(LOCK_BOOTSTRAP)
    user = repository.get_user_by_email(cur, email)
    if user is None:
        user = repository.insert_user(cur, {"name": "Admin", "email": email, "timezone": "UTC", "role": "admin"})
    if access_repository.get_password_hash(cur, user["id"]) is None:
        access_repository.set_password(cur, user["id"], passwords.hash_password(password))
        cur.execute(PROMOTE, {"id": user["id"]})
        log.info("admin %s: password set from ADMIN_PASSWORD", email)
    if api_key:
        token_hash = credentials.digest(api_key)
        access_repository.revoke_other_settings_tokens(cur, token_hash)
        created = access_repository.insert_token(
            cur,
            {
                "user_id": user["id"],
                "name": SETTINGS_TOKEN_NAME,
                "token_hash": token_hash,
                "prefix": credentials.display_prefix(api_key),
                "role": "admin",
                "source": "settings",
                "expires_at": None,
            },
        )
        if created:
            log.info("admin %s: API token from ADMIN_API_KEY stored", email)
    return user


def init_app(app):
    """Try now; if the database is not there yet, try before each request until it works."""
    if not app.config["ADMIN_PASSWORD"]:
        return
    state = {"done": False}

    def run():
        with app.app_context(), db.transaction() as cur:
            ensure_admin(
                cur,
                app.config["ADMIN_EMAIL"] or DEFAULT_ADMIN_EMAIL,
                app.config["ADMIN_PASSWORD"],
                app.config["ADMIN_API_KEY"],
            )
        state["done"] = True

    def before_request():
        if not state["done"]:
            run()

    try:
        run()
    except psycopg2.OperationalError as exc:
        log.warning("first admin not set up yet (database unavailable: %s); trying again on the next request", exc)
    # Ahead of the credential check, so that the very first request can use ADMIN_API_KEY.
    app.before_request_funcs.setdefault(None, []).insert(0, before_request)
