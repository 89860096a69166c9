"""What can happen to a user's notification rules. Each function runs inside the caller's transaction."""

import psycopg2.errors

from oncall_service.identity import contact_repository, people
from oncall_service.identity import notification_rules_repository as repository
from oncall_service.identity.notification_rules import MAX_RULES
from servicekit.errors import Conflict, Invalid, NotFound


def listing(cur, user_id):
    """{items, uses_default}: without a rule, a page reaches every verified contact method at once."""
    people.get_user(cur, user_id)
    rules = repository.list_rules(cur, user_id)
    return {"items": rules, "uses_default": not any(rule["contact_method"]["verified"] for rule in rules)}


def get(cur, user_id, rule_id):
    people.get_user(cur, user_id)
    rule = repository.get_rule(cur, user_id, rule_id)
    if rule is None:
        raise NotFound(f"notification rule {rule_id} not found for user {user_id}")
    return rule


def add(cur, user_id, rule):
    people.get_user(cur, user_id, for_update=True)  # serialises the count against the ceiling
    if repository.count_rules(cur, user_id) >= MAX_RULES:
        raise Invalid(f"a user has at most {MAX_RULES} notification rules: remove one first")
    _check_method(cur, user_id, rule)
    try:
        rule_id = repository.insert_rule(cur, user_id, rule)
    except psycopg2.errors.UniqueViolation:
        raise _taken(rule) from None
    return repository.get_rule(cur, user_id, rule_id)


def change(cur, user_id, rule_id, rule):
    get(cur, user_id, rule_id)
    _check_method(cur, user_id, rule)
    try:
        repository.update_rule(cur, user_id, rule_id, rule)
    except psycopg2.errors.UniqueViolation:
        raise _taken(rule) from None
    return repository.get_rule(cur, user_id, rule_id)


def remove(cur, user_id, rule_id):
    people.get_user(cur, user_id)
    if not repository.delete_rule(cur, user_id, rule_id):
        raise NotFound(f"notification rule {rule_id} not found for user {user_id}")


def _check_method(cur, user_id, rule):
    if contact_repository.get_contact_method(cur, user_id, rule["contact_method_id"]) is None:
        problem = "Not one of this user's contact methods."
        raise Invalid(problem, errors={"json": {"contact_method_id": [problem]}})


def _taken(rule):
    return Conflict(f"the user already has a rule for that contact method after {rule['delay_seconds']} seconds")
