"""The paging worker: asks the on-call service for the team's escalation chain, pages its first step.

Jobs are queued by paging_actions in the transaction that opened or changed the
incident. Every worker of every replica runs this; a job is leased to one of
them at a time (paging_repository.CLAIM_DUE_JOB). A neighbour that is down or
failing means a retry with back-off, never a lost page; the first failure of a
stage and a final refusal show in the timeline as `paging_failed`.
"""

import dataclasses
import datetime as dt
import logging

import requests

from incident_management.actions import links as action_links
from incident_management.lifecycle import repository
from incident_management.paging import actions as paging_actions
from incident_management.paging import contacts, deliveries, escalation, timing
from incident_management.paging import repository as paging_repository
from incident_management.paging import rules as paging
from incident_management.paging.oncall_client import GiveUp, Retry, incident_chain
from servicekit import background, db
from servicekit.http import ServiceClient
from servicekit.metrics import DatabaseGauge, add_collector

log = logging.getLogger(__name__)

_EXTENSION = "incident_management.paging"
ACTOR = "paging"
PAGES = ("assigned", "escalated", "reassigned")  # reasons that ask the person to act

SETTINGS = {
    "ONCALL_SERVICE_URL": "http://oncall-service:8003",
    "NOTIFICATION_SERVICE_URL": "http://notification-service:8004",
    # Incidents without a team (no `team` in the request or the alert's labels) page this team's on-call.
    "DEFAULT_TEAM": "",
    # Channel of pages sent to on-call people (log, email, ...; see the notification service).
    "PAGING_CHANNEL": "log",
    # Page people on their own verified contact methods (from the on-call service); PAGING_CHANNEL if none.
    "PAGING_CONTACT_METHODS": False,
    "PAGING_INTERVAL": 1.0,
    "PAGING_BATCH": 20,
    "PAGING_MAX_BACKOFF": 60.0,
    "PAGING_LEASE_SECONDS": 60.0,
    "PAGING_CONNECT_TIMEOUT": 0.5,
    "PAGING_TIMEOUT": 5.0,
}


def init_app(app):
    timeout = (app.config["PAGING_CONNECT_TIMEOUT"], app.config["PAGING_TIMEOUT"])
    app.extensions[_EXTENSION] = {
        # No retries inside a call: the job itself is retried with back-off.
        "oncall": ServiceClient(app.config["ONCALL_SERVICE_URL"], timeout=timeout, retries=0),
        "notifications": ServiceClient(app.config["NOTIFICATION_SERVICE_URL"], timeout=timeout, retries=0),
    }
    add_collector(
        app,
        DatabaseGauge(
            app, "paging_jobs_pending", "Pages and notifications not delivered yet", [], paging_repository.COUNT_PENDING
        ),
    )
    background.register(app, "paging", run_due, app.config["PAGING_INTERVAL"])


def run_due(app):
    """Work through due jobs; stop at the first neighbour failure (the rest wait for the next tick)."""
    done = 0
    with db.get_db(app).connection() as conn:
        while done < app.config["PAGING_BATCH"]:
            with db.cursor_in_transaction(conn) as cur:
                job = paging_repository.claim_due(cur, app.config["PAGING_LEASE_SECONDS"])
            if job is None:
                break
            try:
                _process(app, conn, job)
            except Retry as exc:
                with db.cursor_in_transaction(conn) as cur:
                    _retry_later(app, cur, job, str(exc))
                log.warning("paging job %s for incident %s will be retried: %s", job["id"], job["incident_id"], exc)
                break
            except GiveUp as exc:
                with db.cursor_in_transaction(conn) as cur:
                    _give_up(cur, job, str(exc))
                log.warning("paging job %s for incident %s failed: %s", job["id"], job["incident_id"], exc)
            done += 1
    return done


def _process(app, conn, job):
    with db.cursor_in_transaction(conn) as cur:
        incident = repository.get_incident(cur, job["incident_id"])
    if incident is None:  # deleted meanwhile (the job went with it)
        return
    payload = job["payload"]
    if job["kind"] == "page":
        payload = _assign(app, conn, job, incident)
        if payload is None:
            return
        job.update(kind="notify", attempts=0)  # as stored by turn_into_notify
    _notify(app, conn, job, incident, payload)


def _assign(app, conn, job, incident):
    """Assign the team's current primary; returns the notification to send, or None when there is none."""
    if incident["status"] == "resolved" or (incident["assigned_to"] and not incident["assigned_email"]):
        return _drop(conn, job)
    if incident["assigned_to"]:  # assigned when it was opened, or escalated before this job ran: page them
        payload = paging_actions.notification_payload(
            incident, "assigned", incident["assigned_to"], incident["assigned_email"]
        )
        with db.cursor_in_transaction(conn) as cur:
            paging_repository.turn_into_notify(cur, job["id"], payload)
        return payload
    chain = _chain_of(app, incident)
    now = dt.datetime.now(dt.UTC)
    urgency = timing.urgency_of(incident["severity"], chain.get("urgency"))
    hours = None if timing.escalates(urgency) else timing.working_hours_of(chain.get("working_hours"))
    notify_at = timing.low_urgency_notify_at(hours, now)
    later = notify_at if notify_at and notify_at > now else None
    with db.cursor_in_transaction(conn) as cur:
        payloads = escalation.start(cur, incident, chain["team"], chain, now, urgency)
        if not payloads:  # assigned or escalated meanwhile (that change pages its own person), or nobody to page
            paging_repository.delete(cur, job["id"])
            return None
        for extra in payloads[1:]:  # everyone the step reaches hears of it; this job pages the first
            paging_repository.queue(cur, incident["id"], "notify", extra, not_before=later)
        paging_repository.turn_into_notify(cur, job["id"], payloads[0])
        if later:  # low urgency outside the team's working hours: notified when they open
            paging_repository.defer(cur, job["id"], later)
            return None
    return payloads[0]


def _chain_of(app, incident):
    """The policy the incident follows: its team's, its service's route's, or DEFAULT_TEAM's."""
    session = app.extensions[_EXTENSION]["oncall"]
    try:
        return incident_chain(session, incident["team"], incident["service"], app.config["DEFAULT_TEAM"])
    except GiveUp as exc:
        if incident["team"] or app.config["DEFAULT_TEAM"]:
            raise
        raise GiveUp(
            f"the incident has no team, service {incident['service']} has no route and DEFAULT_TEAM is not set: "
            "nobody to page"
        ) from exc


def _notify(app, conn, job, incident, payload):
    if incident["status"] == "resolved" and payload["reason"] in PAGES:
        _drop(conn, job)  # paging someone for an incident that is over is noise
        return
    clients = app.extensions[_EXTENSION]
    later = payload.get("delivery")  # one of a page's later deliveries (a notification rule's delay)
    if later is not None:
        if deliveries.stops(incident["status"]):  # acknowledged by anyone: what was not sent yet never is
            _drop(conn, job)
            return
        targets, page_job = [contacts.Target(**later["target"])], later["page_job"]
    else:
        try:
            targets = contacts.targets(app, clients["oncall"], payload)
        except contacts.Unreachable as exc:
            raise Retry(str(exc)) from exc
        page_job = job["id"]
        if payload["reason"] in PAGES:
            targets = _queue_later(conn, job, incident, payload, targets)
        else:
            targets = deliveries.for_notice(targets)
    # A page carries one-tap acknowledge/resolve links for its person; a notice about a change only "open".
    wanted = ("acknowledge", "resolve", "open") if payload["reason"] in PAGES else ("open",)
    links = action_links.links_for(app.config, incident["id"], payload["email"], payload["name"], wanted)
    # Sent one by one: a retry after a failure repeats the same dedup keys, so nothing goes twice.
    events = [_send(clients["notifications"], page_job, incident, payload, target, links) for target in targets]
    with db.cursor_in_transaction(conn) as cur:
        for detail in events:
            repository.insert_event(cur, incident["id"], "notified", ACTOR, detail)
        paging_repository.delete(cur, job["id"])


def _queue_later(conn, job, incident, payload, targets):
    """Queue the page's later deliveries, due at page time + their delay, once (a retry finds them queued);
    returns the targets to send now."""
    now, later = deliveries.plan(targets, dt.datetime.now(dt.UTC))
    if later and not payload.get("later_queued"):
        with db.cursor_in_transaction(conn) as cur:
            for target, due in later:
                delivery = {"target": dataclasses.asdict(target), "page_job": job["id"]}
                paging_repository.queue(cur, incident["id"], "notify", {**payload, "delivery": delivery}, due)
            paging_repository.set_payload(cur, job["id"], {**payload, "later_queued": True})
    return now


def _send(client, page_job, incident, payload, target, links):
    """One delivery of a page (job `page_job`, or one of its later deliveries); the timeline's detail of it."""
    fold_key = f"incident-{incident['id']}-{payload['reason']}-level-{incident.get('escalation_level') or 0}"
    body = {
        "incident_id": str(incident["id"]),
        "channel": target.channel,
        "recipient": target.recipient,
        "person": payload["email"],
        "subject": payload["subject"],
        "message": payload["message"],
        # A repeat after a lost answer is recognised by the notification service and not delivered twice.
        "dedup_key": f"incident-{incident['id']}-paging-{page_job}{target.key}",
        # Repeated pages of one incident and step to one person fold into one (the notification service's window);
        # a rule's later delivery is a reminder the person asked for, not a repeat.
        "fold_key": fold_key + (f"-after-{target.delay}" if target.delay else ""),
    }
    if links:
        body["actions"] = links
    try:
        response = client.post("/api/v1/notify", json=body)
    except requests.RequestException as exc:
        raise Retry(f"notification service unreachable: {type(exc).__name__}") from exc
    if response.status_code in (400, 409, 422):
        raise GiveUp(f"notification service refused the notification ({response.status_code}): {response.text[:300]}")
    if response.status_code not in (200, 201, 202):
        raise Retry(f"notification service answered {response.status_code}: {response.text[:200]}")
    notification = response.json()
    return {
        "reason": payload["reason"],
        "recipient": notification.get("recipient") or target.recipient,  # an Apprise URL as shown: masked
        "name": payload["name"],
        "channel": target.channel,
        "notification_id": notification.get("id"),
        "delivery": notification.get("status"),
        **({"after_seconds": target.delay} if target.delay else {}),
    }


def _drop(conn, job):
    with db.cursor_in_transaction(conn) as cur:
        paging_repository.delete(cur, job["id"])


def _retry_later(app, cur, job, error):
    attempts = paging_repository.reschedule(
        cur, job["id"], error, paging.retry_delay(job["attempts"] + 1, app.config["PAGING_MAX_BACKOFF"])
    )
    if attempts == 1:  # say once that paging waits; the assignment or notification follows when it succeeds
        detail = {"stage": _stage(job), "error": error, "will_retry": True}
        repository.insert_event(cur, job["incident_id"], "paging_failed", ACTOR, detail)


def _give_up(cur, job, error):
    detail = {"stage": _stage(job), "error": error, "will_retry": False}
    repository.insert_event(cur, job["incident_id"], "paging_failed", ACTOR, detail)
    if job["kind"] == "page":  # nobody was paged: shown and counted, never silent
        repository.update_incident(cur, job["incident_id"], {"unpaged": True})
    paging_repository.delete(cur, job["id"])


def _stage(job):
    return "lookup" if job["kind"] == "page" else "notify"
