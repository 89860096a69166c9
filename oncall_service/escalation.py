"""Escalation: hand an incident to the next person on call, once per level, by hand or by timeout.

The claim is a row (incident_id, level) in `escalations`, inserted in the
transaction that also asks incident management to reassign the incident. A
second claimer (another worker, replica, or a manual request) waits for the
first one's transaction and then finds the row taken; if incident management
refuses (acknowledged meanwhile, resolved) or is down, the transaction rolls
back and the level can be claimed again later.
"""

import datetime as dt
import logging

from oncall_service import escalation_repository, incidents_client, metrics, repository, rotation, schedules
from servicekit import db
from servicekit.errors import Conflict

log = logging.getLogger(__name__)

TIMER_ACTOR = "escalation-timer"


def _now():
    return dt.datetime.now(dt.UTC)


def escalate(cur, incidents, incident, trigger, actor, reason, channel, now, current=None, schedule=None):
    """Escalate one incident to its next level; returns (escalation row, incident management's answer).

    Raises Conflict when the incident is resolved, has no schedule, has nobody
    further to go to, or was escalated to that level already.
    """
    if incident["status"] == "resolved":
        raise Conflict(f"incident {incident['id']} is resolved: there is nothing to escalate")
    if schedule is None:
        schedule = _schedule_of(cur, incident)
    current = current or schedules.on_call_of(cur, schedule, now)
    chain = rotation.escalation_chain(current)
    level = incident["escalation_level"] + 1
    if level >= len(chain):
        raise Conflict(
            f"nobody further to escalate incident {incident['id']} to: team {schedule['team']} has "
            f"{len(chain)} level(s) on call and the incident is at level {incident['escalation_level']}"
        )
    target = chain[level]
    claimed = escalation_repository.claim(
        cur,
        {
            "incident_id": incident["id"],
            "level": level,
            "team": schedule["team"],
            "trigger": trigger,
            "reason": reason,
            "actor": actor,
            "assigned_name": target["name"],
            "assigned_email": target["email"],
            "previous_name": incident.get("assigned_to"),
        },
    )
    if claimed is None:
        raise Conflict(f"incident {incident['id']} was already escalated to level {level}")
    answer = incidents.escalate(
        incident["id"],
        {
            "level": level,
            "assigned_to": target["name"],
            "assigned_email": target["email"],
            "actor": actor,
            "reason": reason or f"escalated to level {level}",
            "trigger": trigger,
            "channel": channel,
        },
    )
    return claimed, answer


def _schedule_of(cur, incident):
    if not incident.get("team"):
        raise Conflict(f"incident {incident['id']} has no team: there is no schedule to escalate along")
    schedule = repository.get_schedule_by_team(cur, incident["team"])
    if schedule is None:
        raise Conflict(f"team {incident['team']} has no on-call schedule to escalate along")
    return schedule


def escalate_overdue(app):
    """One tick of the escalation timer: escalate every open incident that waited its team's timeout.

    Safe to run in every worker of every replica at once: see the module docstring.
    """
    incidents = incidents_client.client(app)
    channel = app.config["ESCALATION_CHANNEL"]
    escalated = 0
    with db.get_db(app).connection() as conn:
        with db.cursor_in_transaction(conn) as cur:
            scheduled = repository.all_schedules(cur)
        try:
            waiting = _waiting_incidents(incidents, scheduled, _now())
        except incidents_client.Unavailable as exc:
            log.warning("escalation timer skipped a tick: %s", exc)
            return 0
        if not waiting:
            return 0
        with db.cursor_in_transaction(conn) as cur:
            reached_at = escalation_repository.escalated_at(cur, [incident["id"] for incident, _ in waiting])
        on_call = {}  # computed once per team and tick
        for incident, schedule in waiting:
            now = _now()
            if not _overdue(incident, schedule, reached_at, now):
                continue
            try:
                with db.cursor_in_transaction(conn) as cur:
                    if schedule["id"] not in on_call:
                        on_call[schedule["id"]] = schedules.on_call_of(cur, schedule, now)
                    reason = f"not acknowledged within {schedule['escalation_timeout_seconds']}s"
                    record, answer = escalate(
                        cur,
                        incidents,
                        incident,
                        "timeout",
                        TIMER_ACTOR,
                        reason,
                        channel,
                        now,
                        current=on_call[schedule["id"]],
                        schedule=schedule,
                    )
            except Conflict as exc:  # at the last level, escalated by another worker, or acknowledged meanwhile
                log.debug("no escalation of incident %s: %s", incident["id"], exc.message)
                continue
            except incidents_client.Unavailable as exc:
                log.warning("escalation timer paused: %s", exc)
                break
            metrics.count_escalation(record, answer, channel)
            log.info("incident %s escalated to level %s: %s", incident["id"], record["level"], record["assigned_email"])
            escalated += 1
    return escalated


def _waiting_incidents(incidents, scheduled, now):
    """(incident, schedule) of every open incident of a team with a schedule that may be overdue.

    Only incidents opened longer ago than the team's timeout can be: an incident waits
    at a level since its creation at the earliest. So a tick reads what may be due,
    not every open incident.
    """
    waiting = []
    for schedule in scheduled:
        opened_before = now - dt.timedelta(seconds=schedule["escalation_timeout_seconds"])
        for incident in incidents.open_incidents(team=schedule["team"], opened_before=opened_before):
            waiting.append((incident, schedule))
    return waiting


def _overdue(incident, schedule, reached_at, now):
    """Whether the incident waited its team's timeout at its current level."""
    level = incident["escalation_level"]
    default = incident["created_at"] if level == 0 else incident["updated_at"]
    waiting_since = reached_at.get((incident["id"], level), default)
    return rotation.escalation_due(waiting_since, schedule["escalation_timeout_seconds"], now)
