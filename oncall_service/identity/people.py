"""What can happen to users and their contact methods.

Each function runs inside the caller's transaction (it takes the cursor). Users are deactivated, never
deleted: schedules, timelines and tokens keep referring to them.
"""

import marshmallow as ma
import psycopg2.errors
from flask import current_app

from oncall_service.identity import (
    access_repository,
    contact_repository,
    contact_rules,
    notifications_client,
    passwords,
    repository,
)
from servicekit.errors import Conflict, Forbidden, Invalid, NotFound

# What users may change of themselves; the rest (role, e-mail, active, password) is for admins.
SELF_SERVICE_FIELDS = {"name", "timezone"}


def _email_taken(email):
    return Conflict(f"a user with e-mail {email} already exists")


def require_self_or_admin(caller, user_id):
    """Users manage their own profile and contact methods; admins anyone's."""
    if not caller.may("admin") and caller.user_id != str(user_id):
        raise Forbidden("only admins act on other users and their contact methods: this one is not yours")


def check_self_service(caller, changes):
    others = sorted(set(changes) - SELF_SERVICE_FIELDS)
    if others and not caller.may("admin"):
        raise Forbidden(f"only admins change {', '.join(others)}: you may change your name and time zone")


def create_user(cur, user):
    """A user, with a password when given (else they cannot sign in until an admin sets one)."""
    password = user.pop("password", None)
    try:
        created = repository.insert_user(cur, user)
    except psycopg2.errors.UniqueViolation:
        raise _email_taken(user["email"]) from None
    if password is not None:
        access_repository.set_password(cur, created["id"], passwords.hash_password(password))
    return created


def get_user(cur, user_id, for_update=False):
    user = repository.get_user(cur, user_id, for_update=for_update)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def change_user(cur, user_id, changes):
    """PATCH: the given fields change, the others stay."""
    current = get_user(cur, user_id, for_update=True)
    password = changes.pop("password", None)
    try:
        changed = repository.update_user(cur, user_id, {**current, **changes})
    except psycopg2.errors.UniqueViolation:
        raise _email_taken(changes["email"]) from None
    if password is not None:  # an admin resets it: the user's sessions end
        access_repository.set_password(cur, user_id, passwords.hash_password(password))
        access_repository.end_user_sessions(cur, user_id)
    elif not changed["active"]:
        access_repository.end_user_sessions(cur, user_id)
    return changed


def deactivate_user(cur, user_id):
    """The user can no longer act; their records stay (deactivating twice changes nothing)."""
    return change_user(cur, user_id, {"active": False})


# What each contact method's address must be: the notification channel's recipient (log takes any name).
_ADDRESS_RULES = {
    "email": (ma.validate.Email(), "an e-mail address"),
    "webhook": (ma.validate.URL(schemes={"http", "https"}, require_tld=False), "an http(s) URL"),
    "slack": (ma.validate.URL(schemes={"http", "https"}, require_tld=False), "an http(s) URL"),
}


def _check_address(method):
    """The address as answers show it (None: as it is); Invalid naming what is wrong with it."""
    if method["type"] == "apprise":  # the notification service's rules: Apprise's parser, the SSRF rules
        return notifications_client.check(current_app, "apprise", method["address"])["recipient"]
    rule = _ADDRESS_RULES.get(method["type"])
    if rule is None:
        return
    check, expected = rule
    try:
        check(method["address"])
    except ma.ValidationError:
        problem = f"A {method['type']} contact method needs {expected} as address."
        raise Invalid(problem, errors={"json": {"address": [problem]}}) from None


def _address_taken(method):
    return Conflict(f"the user already has the {method['type']} contact method {method['address']}")


def add_contact_method(cur, user_id, method):
    get_user(cur, user_id)
    shown = _check_address(method)
    try:
        added = contact_repository.insert_contact_method(cur, user_id, method)
    except psycopg2.errors.UniqueViolation:
        raise _address_taken(method) from None
    return contact_rules.after_saved(cur, None, added, shown)


def get_contact_method(cur, user_id, method_id):
    get_user(cur, user_id)
    method = contact_repository.get_contact_method(cur, user_id, method_id)
    if method is None:
        raise NotFound(f"contact method {method_id} not found for user {user_id}")
    return method


def change_contact_method(cur, user_id, method_id, changes):
    before = get_contact_method(cur, user_id, method_id)
    merged = {**before, **changes}
    shown = _check_address(merged)
    try:
        changed = contact_repository.update_contact_method(cur, user_id, method_id, merged)
    except psycopg2.errors.UniqueViolation:
        raise _address_taken(merged) from None
    return contact_rules.after_saved(cur, before, changed, shown)


def delete_contact_method(cur, user_id, method_id):
    get_user(cur, user_id)
    if not contact_repository.delete_contact_method(cur, user_id, method_id):
        raise NotFound(f"contact method {method_id} not found for user {user_id}")
