"""Escalation as due work beside the incidents, and escalation by hand.

Every worker of every replica runs `run_due`. A due step is claimed with
FOR UPDATE SKIP LOCKED and leased (policy_state.CLAIM_DUE), so one worker asks the
on-call service whom the next step reaches, outside any transaction, then moves the
incident in one transaction that checks nobody moved it meanwhile. Nothing polls
another service: a step is only looked at when it is due.
"""

import datetime as dt
import logging

from incident_management.lifecycle import repository
from incident_management.paging import escalation, oncall_client, policy_state
from incident_management.paging import rules as paging
from servicekit import background, db
from servicekit.errors import ApiError, Conflict, NotFound
from servicekit.metrics import DatabaseCounter, DatabaseGauge, add_collector

log = logging.getLogger(__name__)

SETTINGS = {
    "ESCALATION_INTERVAL": 1.0,
    "ESCALATION_BATCH": 20,
    "ESCALATION_LEASE_SECONDS": 30.0,
    # Channel of escalation pages; empty: PAGING_CHANNEL.
    "ESCALATION_CHANNEL": "",
}


def init_app(app):
    expected = [(app.config["DEFAULT_TEAM"],)] if app.config["DEFAULT_TEAM"] else []
    add_collector(
        app,
        DatabaseCounter(
            app,
            "escalations",
            "Incidents moved on to a later step of their escalation policy, by team",
            ["team"],
            policy_state.COUNT_BY_TEAM,
            expected=expected,
        ),
    )
    add_collector(
        app,
        DatabaseGauge(
            app, "incidents_unpaged", "Unresolved incidents whose policy reached nobody", [], policy_state.COUNT_UNPAGED
        ),
    )
    background.register(app, "escalation", run_due, app.config["ESCALATION_INTERVAL"])


def _now():
    return dt.datetime.now(dt.UTC)


def channel_of(app):
    return app.config["ESCALATION_CHANNEL"] or app.config["PAGING_CHANNEL"]


def _oncall(app):
    return app.extensions["incident_management.paging"]["oncall"]


def run_due(app):
    """Escalate every incident whose step is due; returns how many moved. Stops when the on-call service fails."""
    moved = 0
    with db.get_db(app).connection() as conn:
        for _ in range(app.config["ESCALATION_BATCH"]):
            with db.cursor_in_transaction(conn) as cur:
                due = policy_state.claim_due(cur, app.config["ESCALATION_LEASE_SECONDS"])
            if due is None:
                break
            if due["status"] != "open":
                continue  # acknowledged or resolved: the claim cleared what was due
            try:
                chain = oncall_client.policy_chain(_oncall(app), due["policy_id"])
            except oncall_client.Retry as exc:
                with db.cursor_in_transaction(conn) as cur:
                    delay = paging.retry_delay(due["attempts"] + 1, app.config["PAGING_MAX_BACKOFF"])
                    policy_state.reschedule(cur, due["incident_id"], str(exc), delay)
                log.warning("escalation of incident %s waits for the on-call service: %s", due["incident_id"], exc)
                break
            except oncall_client.GiveUp as exc:
                with db.cursor_in_transaction(conn) as cur:
                    _policy_gone(cur, due, str(exc))
                continue
            if _step_due(app, conn, due, chain):
                moved += 1
    return moved


def _step_due(app, conn, due, chain):
    steps = chain["steps"]
    delay = steps[due["step"]]["delay_seconds"] if due["step"] < len(steps) else 0
    request = {
        "trigger": "timeout",
        "actor": escalation.ACTOR,
        "reason": f"not acknowledged within {delay}s",
        "channel": channel_of(app),
    }
    try:
        with db.cursor_in_transaction(conn) as cur:
            result = escalation.advance(cur, due["incident_id"], chain, request, _now(), (due["step"], due["round"]))
    except (Conflict, NotFound) as exc:  # escalated to that level meanwhile, or deleted
        log.debug("no escalation of incident %s: %s", due["incident_id"], exc)
        return False
    if result is not None:
        log.info("incident %s escalated to level %s", due["incident_id"], result[0]["escalation_level"])
    return result is not None


def _policy_gone(cur, due, error):
    policy_state.stop(cur, due["incident_id"])
    detail = {"stage": "escalation", "error": error, "will_retry": False}
    repository.insert_event(cur, due["incident_id"], "paging_failed", escalation.ACTOR, detail)


def escalate_by_hand(app, incident_id, request):
    """Move an incident to its policy's next step now. Returns (incident, notifications); Conflict says why not."""
    with db.transaction() as cur:
        incident = repository.get_incident(cur, incident_id)
        if incident is None:
            raise NotFound(f"incident {incident_id} not found")
        state = policy_state.get_state(cur, incident_id)
    if incident["status"] == "resolved":
        raise Conflict(f"incident '{incident['title']}' is resolved: there is nothing to escalate")
    try:
        if state is None:
            team = incident["team"] or request.get("team")
            if not team:
                raise Conflict(f"incident '{incident['title']}' has no team: there is no escalation policy to follow")
            chain = oncall_client.team_chain(_oncall(app), team)
        else:
            chain = oncall_client.policy_chain(_oncall(app), state["policy_id"])
    except oncall_client.GiveUp as exc:
        raise Conflict(str(exc)) from None
    except oncall_client.Retry as exc:
        raise Unavailable(str(exc)) from None
    with db.transaction() as cur:
        if state is None:
            escalation.begin_at_first_step(cur, incident, chain)
            if not incident["team"]:
                repository.update_incident(cur, incident_id, {"team": chain["team"]})
        expected = (state["step"], state["round"]) if state else (0, 0)
        request = {**request, "trigger": "manual", "channel": channel_of(app)}
        return escalation.advance(cur, incident_id, chain, request, _now(), expected)


class Unavailable(ApiError):
    """The on-call service is down: try again shortly."""

    code = 503
