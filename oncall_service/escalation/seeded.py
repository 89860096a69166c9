"""The seed's escalation as a policy: a schedule posted without one pages its primary, then its secondary.

Pure: the steps follow from the schedule alone.
"""


def seeded_policy(schedule):
    """The default policy a schedule gets: primary at once; secondary after escalation_timeout_seconds."""
    timeout = schedule["escalation_timeout_seconds"]
    return {
        "team": schedule["team"],
        "name": f"{schedule['team']} default",
        "repeat": 0,
        "is_default": True,
        "from_schedule": schedule["id"],
        "steps": [
            {"delay_seconds": timeout, "targets": [_on_call(schedule, "primary")]},
            {"delay_seconds": timeout, "targets": [_on_call(schedule, "secondary")]},
        ],
    }


def _on_call(schedule, role):
    return {"type": "schedule", "schedule_id": str(schedule["id"]), "role": role}
