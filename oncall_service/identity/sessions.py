"""Signing in and out, sessions, and who a session or token stands for.

Each function runs inside the caller's transaction (it takes the cursor). A failed sign-in is recorded
and reported by the return value, not an exception, so that the caller's transaction keeps the record.
"""

import dataclasses

from oncall_service.identity import access_repository, credentials, passwords
from servicekit.auth.principal import Principal, lower_role
from servicekit.errors import Forbidden, Invalid, TooManyRequests, Unauthorized

WRONG_LOGIN = "wrong e-mail or password"


@dataclasses.dataclass(frozen=True)
class Settings:
    lifetime: int  # seconds a session lasts at most
    idle: int  # seconds of no use that end a session
    max_failures: int  # failed sign-ins of one address in `window` that lock it out
    window: int
    min_password: int

    @classmethod
    def of(cls, config):
        return cls(
            lifetime=config["SESSION_LIFETIME_SECONDS"],
            idle=config["SESSION_IDLE_TIMEOUT_SECONDS"],
            max_failures=config["LOGIN_MAX_FAILURES"],
            window=config["LOGIN_LOCKOUT_SECONDS"],
            min_password=config["PASSWORD_MIN_LENGTH"],
        )


def sign_in(cur, email, password, client, user_agent, settings, now):
    """(session value, session row, user) on success; None after recording a failure. 429 when locked out."""
    access_repository.lock_email(cur, email)
    until = access_repository.locked_until(cur, email, settings.max_failures, settings.window)
    if until is not None:
        wait = max(1, int((until - now).total_seconds()) + 1)
        raise TooManyRequests(
            f"too many failed sign-ins for {email}: try again in {wait} seconds", headers={"Retry-After": str(wait)}
        )
    user = access_repository.get_login(cur, email)
    if not passwords.verify(user["password_hash"] if user else None, password) or not user["active"]:
        access_repository.record_failure(cur, email, client, settings.window)
        return None
    access_repository.forget_failures(cur, email)
    if passwords.needs_rehash(user["password_hash"]):
        access_repository.set_password(cur, user["id"], passwords.hash_password(password))
    value = credentials.new_session_value()
    session = access_repository.insert_session(
        cur,
        {
            "user_id": user["id"],
            "token_hash": credentials.digest(value),
            "csrf_token": credentials.new_csrf_token(),
            "client": (client or "")[:100] or None,
            "user_agent": (user_agent or "")[:500] or None,
            "lifetime": settings.lifetime,
        },
    )
    user = {key: value for key, value in user.items() if key != "password_hash"}
    return value, session, user


def sign_out(cur, session_value):
    access_repository.delete_session(cur, credentials.digest(session_value))


def check_password_rules(password, settings, field="password"):
    if len(password) < settings.min_password:
        message = f"A password has at least {settings.min_password} characters."
        raise Invalid(message, errors={"json": {field: [message]}})


def set_password(cur, user_id, password, settings):
    """An admin sets a user's password: every session of the user ends."""
    check_password_rules(password, settings)
    access_repository.set_password(cur, user_id, passwords.hash_password(password))
    access_repository.end_user_sessions(cur, user_id)


def change_password(cur, caller, current, new, settings):
    """The caller changes their own password; their other sessions end (this one stays)."""
    if caller.user_id is None:
        raise Forbidden("only a signed-in user has a password to change")
    check_password_rules(new, settings, field="new_password")
    if not passwords.verify(access_repository.get_password_hash(cur, caller.user_id), current):
        raise Unauthorized("the current password is wrong")
    access_repository.set_password(cur, caller.user_id, passwords.hash_password(new))
    access_repository.end_user_sessions(cur, caller.user_id, keep=caller.session_id)


def session_principal(cur, session_value, settings):
    """The user a session stands for, or None when it is unknown, expired, idle too long or the user inactive."""
    row = access_repository.live_session(cur, credentials.digest(session_value), settings.idle)
    if row is None:
        return None
    return Principal(
        kind="user",
        id=str(row["id"]),
        name=row["name"],
        email=row["email"],
        role=row["role"],
        user_id=str(row["id"]),
        session_id=str(row["session_id"]),
        csrf_token=row["csrf_token"],
    )


def token_principal(cur, token):
    """The token's principal (role: the lower of the token's and its user's), or None when it is not usable."""
    row = access_repository.live_token(cur, credentials.digest(token))
    if row is None:
        return None
    return Principal(
        kind="token",
        id=str(row["id"]),
        name=row["name"],
        email=row["email"],
        role=lower_role(row["role"], row["user_role"]),
        user_id=str(row["user_id"]),
    )


def verify(cur, kind, value, settings):
    if kind == "session":
        return session_principal(cur, value, settings)
    if kind == "token":
        return token_principal(cur, value)
    return None
