"""A policy's chain at a time: each step's delay and the people its targets reach then.

Runs inside the caller's transaction (it takes the cursor). A target that reaches
nobody (a schedule without a secondary, a deleted schedule) adds nobody; a step
whose targets all reach nobody is empty, and incident management passes it on.
"""

import uuid

from oncall_service import repository as schedules_repository
from oncall_service import schedules
from oncall_service.escalation import bootstrap, preferences, repository
from servicekit.errors import NotFound


def chain_for_incident(cur, args, at, config):
    """The chain an incident follows: its team's, else its service's route's, else the fallback team's.

    The route's policy applies when the route's team is the incident's; its urgency mapping
    always does. 404 when no team is known or the team has neither a policy nor a schedule.
    """
    route = repository.route_of_service(cur, args["service"]) if args.get("service") else None
    team = args.get("team") or (route and route["team"]) or args.get("fallback_team")
    if not team:
        service = args.get("service")
        raise NotFound(
            f"nobody to page: no team was given, service {service} has no route, and there is no fallback team"
            if service
            else "nobody to page: no team was given and there is no fallback team"
        )
    policy = None
    if route and route["policy_id"] and route["team"].lower() == team.lower():
        policy = repository.get_policy(cur, route["policy_id"])
    policy = policy or _default_policy(cur, team, config)
    answer = chain(cur, policy, at)
    answer["urgency"] = route["urgency"] if route else {}
    return answer


def _default_policy(cur, team, config):
    policy = repository.default_policy(cur, team)
    if policy is None and config["PLATFORM_TEAM"] and team.lower() == config["PLATFORM_TEAM"].lower():
        policy = bootstrap.ensure(cur, config)  # the platform's own team exists from the first run
    if policy is None:
        raise NotFound(f"team {team} has no on-call schedule or escalation policy")
    return policy


def chain_of_policy(cur, policy_id, at):
    policy = repository.get_policy(cur, policy_id)
    if policy is None:
        raise NotFound(f"escalation policy {policy_id} not found")
    return chain(cur, policy, at)


def chain(cur, policy, at):
    """{team, policy: {id, name, repeat}, steps: [{position, delay_seconds, label, people}], working_hours}."""
    steps = []
    for position, step in enumerate(policy["steps"]):
        reached = [_reach(cur, target, at) for target in step["targets"]]
        steps.append(
            {
                "position": position,
                "delay_seconds": step["delay_seconds"],
                "label": ", ".join(label for label, _ in reached) or "nobody",
                "people": _distinct(person for _, people in reached for person in people),
            }
        )
    opted_in = preferences.updates_by_email(cur, [p["email"] for step in steps for p in step["people"]])
    for step in steps:
        for person in step["people"]:
            person["updates"] = opted_in.get(person["email"].lower(), [])
    return {
        "team": policy["team"],
        "policy": {"id": policy["id"], "name": policy["name"], "repeat": policy["repeat"]},
        "steps": steps,
        "urgency": {},
        "working_hours": policy["working_hours"],
    }


def _reach(cur, target, at):
    """(label, people) of one target at `at`."""
    if target["type"] == "schedule":
        return _schedule_on_call(cur, target, at)
    if target["type"] == "user":
        return _user(cur, target)
    return _team_members(cur, target["team"])


def _user(cur, target):
    if target.get("user_id"):
        user = repository.active_user(cur, uuid.UUID(str(target["user_id"])))
        if user is None:
            return "a user who is no longer active", []
        return user["name"], [{"name": user["name"], "email": user["email"]}]
    person = {"name": target.get("name") or target["email"], "email": target["email"]}
    return person["name"], [person]


def _schedule_on_call(cur, target, at):
    role = target["role"]
    schedule = schedules_repository.get_schedule(cur, uuid.UUID(str(target["schedule_id"])))
    if schedule is None:
        return f"the {role} of a deleted schedule", []
    person = schedules.on_call_of(cur, schedule, at).get(role)
    return f"the {role} on call for {schedule['team']}", [person] if person else []


def _team_members(cur, team):
    """The team's members (its record) and the members of its schedule."""
    schedule = schedules_repository.get_schedule_by_team(cur, team)
    members = [*repository.team_members(cur, team), *(schedule["members"] if schedule else [])]
    return f"everyone in team {team}", [{"name": m["name"], "email": m["email"]} for m in members]


def _distinct(people):
    seen, result = set(), []
    for person in people:
        key = person["email"].lower()
        if key not in seen:
            seen.add(key)
            result.append({"name": person["name"], "email": person["email"]})
    return result
