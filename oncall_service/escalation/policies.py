"""What can happen to escalation policies and service routes, inside the caller's transaction.

Every team with a policy has exactly one default: a team's first policy becomes it,
making another the default moves it, and the default cannot be deleted.
"""

import uuid

import psycopg2.errors

from oncall_service import repository as schedules_repository
from oncall_service.escalation import repository
from servicekit.errors import Conflict, Invalid, NotFound


def create_policy(cur, policy):
    _check_targets(cur, policy["steps"])
    if repository.default_policy(cur, policy["team"]) is None:
        policy = {**policy, "is_default": True}
    try:
        created = repository.insert_policy(cur, {**policy, "is_default": False})
    except psycopg2.errors.UniqueViolation:
        raise _name_taken(policy) from None
    if policy["is_default"]:
        _make_default(cur, created, policy)
    return repository.get_policy(cur, created["id"])


def replace_policy(cur, policy_id, policy):
    """PUT: every field but the team (a policy stays with its team)."""
    current = get_policy(cur, policy_id, for_update=True)
    if policy["team"].lower() != current["team"].lower():
        message = "a policy stays with its team: create one for the other team instead"
        raise Invalid(message, errors={"json": {"team": [f"Must be {current['team']}."]}})
    if current["is_default"] and not policy["is_default"]:
        raise Conflict(_default_kept(current))
    _check_targets(cur, policy["steps"])
    try:
        repository.update_policy(cur, policy_id, {**policy, "is_default": current["is_default"]})
    except psycopg2.errors.UniqueViolation:
        raise _name_taken(policy) from None
    if policy["is_default"] and not current["is_default"]:
        _make_default(cur, current, policy)
    return repository.get_policy(cur, policy_id)


def _make_default(cur, policy, changes):
    repository.unset_other_defaults(cur, policy["team"], policy["id"])
    repository.update_policy(cur, policy["id"], {**repository.get_policy(cur, policy["id"]), **changes})


def delete_policy(cur, policy_id):
    current = get_policy(cur, policy_id, for_update=True)
    if current["is_default"]:
        raise Conflict(_default_kept(current))
    repository.delete_policy(cur, policy_id)


def get_policy(cur, policy_id, for_update=False):
    if for_update and repository.lock_policy(cur, policy_id) is None:
        raise NotFound(f"escalation policy {policy_id} not found")
    policy = repository.get_policy(cur, policy_id)
    if policy is None:
        raise NotFound(f"escalation policy {policy_id} not found")
    return policy


def _default_kept(policy):
    return (
        f"'{policy['name']}' is the default policy of team {policy['team']}: every team keeps one, "
        "so make another policy the default first"
    )


def _name_taken(policy):
    return Conflict(f"team {policy['team']} already has a policy named '{policy['name']}'")


def _check_targets(cur, steps):
    """Every schedule and user a step targets exists (422 naming the step and target otherwise)."""
    for step_index, step in enumerate(steps):
        for target_index, target in enumerate(step["targets"]):
            if target["type"] == "schedule":
                missing = schedules_repository.get_schedule(cur, uuid.UUID(target["schedule_id"])) is None
                what, which = "schedule", target["schedule_id"]
            elif target["type"] == "user" and target.get("user_id"):
                missing = repository.active_user(cur, uuid.UUID(target["user_id"])) is None
                what, which = "user", target["user_id"]
            else:
                continue
            if missing:
                errors = {"json": {"steps": {step_index: {"targets": {target_index: [f"No such {what}."]}}}}}
                raise Invalid(f"{what} {which} does not exist (or is not active)", errors=errors)


def create_route(cur, route):
    _check_route(cur, route)
    try:
        return repository.insert_route(cur, route)
    except psycopg2.errors.UniqueViolation:
        raise Conflict(f"service {route['service']} already has a route: change it instead") from None


def replace_route(cur, route_id, route):
    get_route(cur, route_id)
    _check_route(cur, route)
    try:
        return repository.update_route(cur, route_id, route)
    except psycopg2.errors.UniqueViolation:
        raise Conflict(f"service {route['service']} already has a route: change it instead") from None


def get_route(cur, route_id):
    route = repository.get_route(cur, route_id)
    if route is None:
        raise NotFound(f"service route {route_id} not found")
    return route


def delete_route(cur, route_id):
    if not repository.delete_route(cur, route_id):
        raise NotFound(f"service route {route_id} not found")


def _check_route(cur, route):
    if route.get("policy_id") is None:
        return
    policy = repository.get_policy(cur, route["policy_id"])
    if policy is None or policy["team"].lower() != route["team"].lower():
        message = f"the route's policy must be one of team {route['team']}'s policies"
        raise Invalid(message, errors={"json": {"policy_id": ["Not a policy of this team."]}})
