"""An incident's walk through its escalation policy, inside the caller's transaction.

`start` pages the first step that reaches someone when the incident opens; `advance`
moves it to the next one (when its step is due, or by hand). Both take the chain the
on-call service answered (who each step reaches now) and only write: the rows that
make each step happen once, the timeline, and the pages as queued jobs.

Exactly once per step: `advance` locks the incident and its state and moves only from
the position the caller saw (`expected`); the unique (incident_id, level) of the
escalation log is a second guard.
"""

from incident_management.lifecycle import repository
from incident_management.paging import actions, policy_state, timing
from incident_management.paging import repository as paging_repository
from servicekit.errors import Conflict, NotFound

ACTOR = "escalation"


def start(cur, incident, team, chain, now, urgency="high"):
    """Page the first step of the policy that reaches someone. Returns the notifications to send, in order.

    None when someone assigned or escalated the incident meanwhile (that change pages its own person).
    """
    steps, repeat = chain["steps"], chain["policy"]["repeat"]
    reached, skipped = timing.next_reachable(steps, repeat, (0, 0), include_current=True)
    _passed_over(cur, incident["id"], chain, skipped)
    state = {"incident_id": incident["id"], "team": chain["team"], "urgency": urgency, **_policy(chain)}
    if reached is None:
        policy_state.insert_state(cur, {**state, **_position(steps, (0, 0), None, final=True)})
        _unpaged(cur, incident, chain)
        return []
    people = steps[reached[0]]["people"]
    assigned = paging_repository.assign_on_call(cur, incident["id"], team, people[0])
    if assigned is None:
        return None
    due = timing.next_due(steps, repeat, reached, now, urgency)
    final = timing.is_last(len(steps), repeat, *reached)
    policy_state.insert_state(cur, {**state, **_position(steps, reached, due, final)}, paged=people)
    detail = {
        "assigned_to": people[0]["name"],
        "assigned_email": people[0]["email"],
        "team": chain["team"],
        "policy": chain["policy"]["name"],
        "step": steps[reached[0]]["label"],
        "people": people,
        "urgency": urgency,
    }
    repository.insert_event(cur, incident["id"], "assigned", "oncall-service", detail)
    return [actions.notification_payload(assigned, "assigned", p["name"], p["email"]) for p in people]


def begin_at_first_step(cur, incident, chain):
    """A state at the first step for an incident that has none (assigned by hand, or from before policies)."""
    state = {"incident_id": incident["id"], "team": chain["team"], "urgency": "high", **_policy(chain)}
    policy_state.insert_state(cur, {**state, **_position(chain["steps"], (0, 0), None, final=False)})


def advance(cur, incident_id, chain, request, now, expected):
    """Move the incident to the next step that reaches someone, from position `expected`.

    request: {trigger: manual|timeout, actor, reason, channel}. Returns (incident, notifications),
    or None when a timeout finds nothing to do (acknowledged meanwhile, taken by another worker,
    the policy ran out). A manual request that cannot move answers Conflict with the reason.
    """
    manual = request["trigger"] == "manual"
    incident = repository.get_incident(cur, incident_id, for_update=True)
    if incident is None:
        raise NotFound(f"incident {incident_id} not found")
    state = policy_state.get_state(cur, incident_id, for_update=True)
    if state is None or (state["step"], state["round"]) != expected:
        if manual:
            raise Conflict(f"incident '{incident['title']}' was escalated by someone else meanwhile: look again")
        return None
    if incident["status"] == "resolved":
        policy_state.stop(cur, incident_id)
        if manual:
            raise Conflict(f"incident '{incident['title']}' is resolved: there is nothing to escalate")
        return None
    if not manual and incident["status"] != "open":
        policy_state.stop(cur, incident_id, final=state["final"])
        return None
    steps, repeat = chain["steps"], chain["policy"]["repeat"]
    reached, skipped = timing.next_reachable(steps, repeat, expected)
    if reached is None:
        return _ran_out(cur, incident, state, chain, skipped, manual)
    people = steps[reached[0]]["people"]
    level = incident["escalation_level"] + 1
    logged = policy_state.insert_escalation(
        cur,
        {
            "incident_id": incident_id,
            "level": level,
            "team": state["team"],
            "policy_name": chain["policy"]["name"],
            "step": reached[0],
            "round": reached[1],
            "trigger": request["trigger"],
            "reason": request.get("reason"),
            "actor": request["actor"],
            "assigned_name": people[0]["name"],
            "assigned_email": people[0]["email"],
            "previous_name": incident["assigned_to"],
        },
    )
    if logged is None:
        raise Conflict(f"incident '{incident['title']}' was escalated to that step already")
    changes = {"escalation_level": level, "unpaged": False}
    changes.update(assigned_to=people[0]["name"], assigned_email=people[0]["email"])
    updated = repository.update_incident(cur, incident_id, changes)
    _passed_over(cur, incident_id, chain, skipped)
    detail = {
        "level": level,
        "assigned_to": people[0]["name"],
        "assigned_email": people[0]["email"],
        "previous": incident["assigned_to"],
        "trigger": request["trigger"],
        "reason": request.get("reason"),
        "policy": chain["policy"]["name"],
        "step": steps[reached[0]]["label"],
        "people": people,
    }
    repository.insert_event(cur, incident_id, "escalated", request["actor"], detail)
    policy_state.append_paged(cur, incident_id, people)
    due = timing.next_due(steps, repeat, reached, now, state["urgency"]) if updated["status"] == "open" else None
    policy_state.move(cur, incident_id, _position(steps, reached, due, timing.is_last(len(steps), repeat, *reached)))
    notifications = []
    reason, channel = request.get("reason"), request["channel"]
    for person in people:
        payload = actions.notification_payload(
            updated, "escalated", person["name"], person["email"], detail=reason, channel=channel
        )
        paging_repository.queue(cur, incident_id, "notify", payload)
        notifications.append({"channel": channel, "recipient": person["email"]})
    return updated, notifications


def _ran_out(cur, incident, state, chain, skipped, manual):
    """Nobody further: a manual request hears why; a timeout stops, and says so when nobody was ever paged."""
    if manual:
        rest = " (the steps after it reach nobody now)" if skipped else ""
        raise Conflict(
            f"incident '{incident['title']}' is at the last step of escalation policy '{chain['policy']['name']}' "
            f"({state['step_label']}){rest}: there is nobody further to escalate to"
        )
    policy_state.stop(cur, incident["id"])
    _passed_over(cur, incident["id"], chain, skipped)
    if incident["assigned_email"] is None:
        _unpaged(cur, incident, chain)


def _passed_over(cur, incident_id, chain, skipped):
    for step, round_ in skipped:
        detail = {"policy": chain["policy"]["name"], "step": chain["steps"][step]["label"], "round": round_}
        detail["reason"] = "nobody is on call for this step: passed on to the next"
        repository.insert_event(cur, incident_id, "step_skipped", ACTOR, detail)


def _unpaged(cur, incident, chain):
    repository.update_incident(cur, incident["id"], {"unpaged": True})
    detail = {"policy": chain["policy"]["name"], "team": chain["team"]}
    detail["reason"] = f"escalation policy '{chain['policy']['name']}' ran out without reaching anyone"
    repository.insert_event(cur, incident["id"], "unpaged", ACTOR, detail)


def _policy(chain):
    return {"policy_id": chain["policy"]["id"], "policy_name": chain["policy"]["name"]}


def _position(steps, position, due, final):
    step, round_ = position
    label = steps[step]["label"] if steps else "no steps"
    return {"step": step, "round": round_, "step_label": label, "next_escalation_at": due, "final": final}
