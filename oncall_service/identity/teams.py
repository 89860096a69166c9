"""What can happen to teams: created, changed (members replaced as a whole), deactivated.

Each function runs inside the caller's transaction (it takes the cursor).
"""

import psycopg2.errors

from oncall_service.identity import teams_repository
from servicekit.errors import Conflict, Invalid, NotFound


def _name_taken(name):
    return Conflict(f"a team named {name} already exists")


def _check_members(cur, user_ids):
    missing = teams_repository.missing_users(cur, user_ids)
    if missing:
        listed = ", ".join(str(user_id) for user_id in missing)
        raise Invalid(f"unknown user {listed}", errors={"json": {"members": [f"No user {listed}."]}})


def create_team(cur, team):
    _check_members(cur, team["members"])
    try:
        return teams_repository.insert_team(cur, team)
    except psycopg2.errors.UniqueViolation:
        raise _name_taken(team["name"]) from None


def get_team(cur, team_id, for_update=False):
    team = teams_repository.get_team(cur, team_id, for_update=for_update)
    if team is None:
        raise NotFound(f"team {team_id} not found")
    return team


def change_team(cur, team_id, changes):
    """PATCH: the given fields change, the others stay; `members`, when given, replaces the list."""
    current = get_team(cur, team_id, for_update=True)
    if "members" in changes:
        _check_members(cur, changes["members"])
    fields = {key: current[key] for key in ("name", "description", "active")}
    try:
        return teams_repository.update_team(cur, team_id, {**fields, **changes})
    except psycopg2.errors.UniqueViolation:
        raise _name_taken(changes["name"]) from None


def deactivate_team(cur, team_id):
    return change_team(cur, team_id, {"active": False})
