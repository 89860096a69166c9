"""The on-call service as paging asks it: a team's escalation chain, a policy's chain, at a time.

One GET per step: who the step reaches now. The on-call service holds no timer and
never calls back; where each incident stands in its policy is kept here.
"""

import requests

_EXTENSION = "incident_management.oncall"


class Retry(Exception):
    """A neighbour service is down or failing: the job is tried again later."""


class GiveUp(Exception):
    """Nothing to retry (no team, no schedule, a refused notification): recorded as paging_failed."""


def team_chain(session, team):
    """The chain of the team's default policy (GiveUp when the team has none)."""
    return _get(session, "/api/v1/oncall/chain", {"team": team})


def incident_chain(session, team, service, fallback_team):
    """The chain an incident follows: its team's, else its service's route's, else the fallback team's."""
    params = {"team": team, "service": service, "fallback_team": fallback_team or None}
    return _get(session, "/api/v1/oncall/chain", {key: value for key, value in params.items() if value})


def policy_chain(session, policy_id):
    """A policy's chain now (GiveUp when the policy was deleted)."""
    return _get(session, f"/api/v1/escalation-policies/{policy_id}/chain", None)


def _get(session, path, params):
    try:
        response = session.get(path, params=params)
    except requests.RequestException as exc:
        raise Retry(f"on-call service unreachable: {type(exc).__name__}") from exc
    if response.status_code in (400, 404, 422):  # no such team or policy, or a team name it cannot have
        raise GiveUp(response.json().get("message", "the on-call service knows no such policy"))
    if response.status_code != 200:
        raise Retry(f"on-call service answered {response.status_code}: {response.text[:200]}")
    return response.json()
