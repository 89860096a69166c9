"""What can happen to a shift swap: offered by the person on call, taken by another (an override), withdrawn.

Each function runs inside the caller's transaction (it takes the cursor).
"""

from oncall_service import repository as schedules
from oncall_service import rotation
from oncall_service.swaps import repository
from servicekit.errors import Conflict, Invalid, NotFound


def _person(body, caller):
    """Who acts: the body's {name, email}, else the signed-in caller."""
    if body.get("email"):
        return {"name": body.get("name") or body["email"], "email": body["email"]}
    if not caller.email:
        message = "Name the person (name and email): the caller is not a user."
        raise Invalid(message, errors={"json": {"email": [message]}})
    return {"name": caller.name or caller.email, "email": caller.email}


def get_schedule(cur, schedule_id):
    schedule = schedules.get_schedule(cur, schedule_id)
    if schedule is None:
        raise NotFound(f"schedule {schedule_id} not found")
    return schedule


def holds(schedule, overrides, role, email, start, end):
    """True when `email` has `role` on call for all of [start, end) (overrides applied)."""
    shifts = rotation.shifts(rotation.rotation_of(schedule), overrides, start, end)
    return bool(shifts) and all(s[role] is not None and s[role]["email"].lower() == email.lower() for s in shifts)


def offer(cur, schedule_id, body, caller, now):
    """Offer a stretch of one's shift: the person must hold that role for all of it, and it must not be over."""
    schedule = get_schedule(cur, schedule_id)
    person = _person(body, caller)
    if body["end"] <= now:
        raise Invalid("the offered stretch is over", errors={"json": {"end": ["Must be in the future."]}})
    overrides = schedules.overrides_overlapping(cur, [schedule["id"]], body["start"], body["end"])
    if not holds(schedule, overrides, body["role"], person["email"], body["start"], body["end"]):
        message = f"{person['name']} is not the {body['role']} on call for all of that time."
        raise Invalid(message, errors={"json": {"start": [message]}})
    swap = {key: body[key] for key in ("role", "start", "end")}
    swap.update(schedule_id=schedule["id"], note=body.get("note"))
    return repository.insert_swap(cur, {**swap, "offered_name": person["name"], "offered_email": person["email"]})


def get(cur, schedule_id, swap_id, for_update=False):
    get_schedule(cur, schedule_id)
    swap = repository.get_swap(cur, schedule_id, swap_id, for_update=for_update)
    if swap is None:
        raise NotFound(f"swap {swap_id} not found in schedule {schedule_id}")
    return swap


def take(cur, schedule_id, swap_id, body, caller, now):
    """Take an open swap: from now on (or its start) to its end, the taker covers the role (an override)."""
    swap = get(cur, schedule_id, swap_id, for_update=True)
    _still_open(swap)
    if swap["end"] <= now:
        raise Conflict(f"the shift {swap['offered_name']} offered is over: nothing is left to take")
    person = _person(body, caller)
    if person["email"].lower() == swap["offered_email"].lower():
        message = "The person who offered the shift cannot take it."
        raise Invalid(message, errors={"json": {"email": [message]}})
    cover = {"role": swap["role"], "start": max(swap["start"], now), "end": swap["end"], **person}
    override = schedules.insert_override(cur, schedule_id, cover)
    return repository.take_swap(cur, swap_id, person, override["id"])


def withdraw(cur, schedule_id, swap_id):
    swap = get(cur, schedule_id, swap_id, for_update=True)
    _still_open(swap)
    return repository.cancel_swap(cur, swap_id)


def _still_open(swap):
    if swap["status"] == "taken":
        raise Conflict(f"{swap['taken_name']} took this shift already (its override can be deleted)")
    if swap["status"] == "cancelled":
        raise Conflict(f"{swap['offered_name']} withdrew this offer")
