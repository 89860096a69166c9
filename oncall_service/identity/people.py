"""What can happen to users and their contact methods.

Each function runs inside the caller's transaction (it takes the cursor). Users are deactivated, never
deleted: schedules, timelines and tokens keep referring to them.
"""

import marshmallow as ma
import psycopg2.errors

from oncall_service.identity import contact_repository, repository
from servicekit.errors import Conflict, Invalid, NotFound


def _email_taken(email):
    return Conflict(f"a user with e-mail {email} already exists")


def create_user(cur, user):
    try:
        return repository.insert_user(cur, user)
    except psycopg2.errors.UniqueViolation:
        raise _email_taken(user["email"]) from None


def get_user(cur, user_id, for_update=False):
    user = repository.get_user(cur, user_id, for_update=for_update)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def change_user(cur, user_id, changes):
    """PATCH: the given fields change, the others stay."""
    current = get_user(cur, user_id, for_update=True)
    try:
        return repository.update_user(cur, user_id, {**current, **changes})
    except psycopg2.errors.UniqueViolation:
        raise _email_taken(changes["email"]) from None


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
    _check_address(method)
    try:
        return contact_repository.insert_contact_method(cur, user_id, method)
    except psycopg2.errors.UniqueViolation:
        raise _address_taken(method) from None


def get_contact_method(cur, user_id, method_id):
    get_user(cur, user_id)
    method = contact_repository.get_contact_method(cur, user_id, method_id)
    if method is None:
        raise NotFound(f"contact method {method_id} not found for user {user_id}")
    return method


def change_contact_method(cur, user_id, method_id, changes):
    merged = {**get_contact_method(cur, user_id, method_id), **changes}
    _check_address(merged)
    try:
        return contact_repository.update_contact_method(cur, user_id, method_id, merged)
    except psycopg2.errors.UniqueViolation:
        raise _address_taken(merged) from None


def delete_contact_method(cur, user_id, method_id):
    get_user(cur, user_id)
    if not contact_repository.delete_contact_method(cur, user_id, method_id):
        raise NotFound(f"contact method {method_id} not found for user {user_id}")
