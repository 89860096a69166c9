"""What can happen to schedules, and who is on call by them.

Each function runs inside the caller's transaction (it takes the cursor) and
combines the repository with the pure rotation arithmetic.
"""

import datetime as dt

import psycopg2.errors

from oncall_service import repository, rotation
from oncall_service.escalation import repository as policies
from oncall_service.escalation.seeded import seeded_policy
from servicekit.errors import Conflict, Invalid, NotFound

DEFAULT_SHIFTS_RANGE = dt.timedelta(weeks=4)
MAX_SHIFTS_RANGE = dt.timedelta(days=366)


def _team_taken(team):
    return Conflict(f"team {team} already has a schedule: change it (PUT/PATCH) instead of creating another")


def create_schedule(cur, schedule):
    """A new schedule; a team without an escalation policy gets the seed's two steps as its default."""
    try:
        created = repository.insert_schedule(cur, schedule)
    except psycopg2.errors.UniqueViolation as exc:
        raise _unique_violation(exc, schedule) from None
    if policies.default_policy(cur, created["team"]) is None:
        policies.insert_policy(cur, seeded_policy(created))
    return created


def replace_schedule(cur, schedule_id, schedule):
    """PUT: every field given; members replace the old list."""
    get_schedule(cur, schedule_id, for_update=True)
    try:
        updated = repository.update_schedule(cur, schedule_id, schedule)
        _follow_schedule(cur, updated)
    except psycopg2.errors.UniqueViolation as exc:
        raise _unique_violation(exc, schedule) from None
    return updated


def _follow_schedule(cur, schedule):
    """The policy made from a schedule keeps its team and timeout (until someone edits the policy)."""
    policy = policies.policy_from_schedule(cur, schedule["id"])
    if policy is not None:
        policies.rename_team(cur, policy["id"], schedule["team"])
        policies.replace_steps(cur, policy["id"], seeded_policy(schedule)["steps"])


def patch_schedule(cur, schedule_id, changes):
    """PATCH: the given fields change, the others stay."""
    current = get_schedule(cur, schedule_id, for_update=True)
    return replace_schedule(cur, schedule_id, {**current, **changes})


def _unique_violation(exc, schedule):
    if exc.diag.constraint_name == "schedules_team_uq":
        return _team_taken(schedule["team"])
    # A schedule moved to another team takes its own policy along, which must not clash with one of that team's.
    if exc.diag.constraint_name in ("escalation_policies_default_uq", "escalation_policies_team_name_uq"):
        return Conflict(
            f"team {schedule['team']} already has an escalation policy that this schedule's own policy would "
            "clash with (a default one, or one of the same name): change or delete that policy first"
        )
    # The schemas refuse duplicate members already; this is the database's word on the same rule.
    return Invalid("a member is listed twice in one role", errors={"json": {"members": ["Duplicate member."]}})


def get_schedule(cur, schedule_id, for_update=False):
    schedule = repository.get_schedule(cur, schedule_id, for_update=for_update)
    if schedule is None:
        raise NotFound(f"schedule {schedule_id} not found")
    return schedule


def delete_schedule(cur, schedule_id):
    if not repository.delete_schedule(cur, schedule_id):
        raise NotFound(f"schedule {schedule_id} not found")


def schedule_of_team(cur, team):
    schedule = repository.get_schedule_by_team(cur, team)
    if schedule is None:
        raise NotFound(f"team {team} has no on-call schedule")
    return schedule


def add_override(cur, schedule_id, override, now):
    get_schedule(cur, schedule_id)
    if override["end"] <= now:
        raise Invalid("the override ends in the past", errors={"json": {"end": ["Must be in the future."]}})
    return repository.insert_override(cur, schedule_id, override)


def delete_override(cur, schedule_id, override_id):
    get_schedule(cur, schedule_id)
    if not repository.delete_override(cur, schedule_id, override_id):
        raise NotFound(f"override {override_id} not found in schedule {schedule_id}")


def on_call_of(cur, schedule, at):
    """{team, primary, secondary, shift_start, shift_end, override} of a schedule at `at`."""
    overrides = repository.overrides_overlapping(cur, [schedule["id"]], at, at + dt.timedelta(microseconds=1))
    return {"team": schedule["team"], **rotation.on_call(rotation.rotation_of(schedule), overrides, at)}


def current(cur, team, at):
    return on_call_of(cur, schedule_of_team(cur, team), at)


def upcoming_shifts(cur, team, since, until):
    """{team, timezone, shifts} for [since, until) (default: 4 weeks from since)."""
    until = until or since + DEFAULT_SHIFTS_RANGE
    if until <= since:
        raise Invalid("until must be after since", errors={"query": {"until": ["Must be after since."]}})
    if until - since > MAX_SHIFTS_RANGE:
        raise Invalid("at most 366 days of shifts at once", errors={"query": {"until": ["Range too long."]}})
    schedule = schedule_of_team(cur, team)
    overrides = repository.overrides_overlapping(cur, [schedule["id"]], since, until)
    shifts = rotation.shifts(rotation.rotation_of(schedule), overrides, since, until)
    return {"team": schedule["team"], "timezone": schedule["timezone"], "shifts": shifts}
