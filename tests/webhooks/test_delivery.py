"""Deliveries on the test database: events captured with the incident change, signed, retried, logged, once."""

import json
import threading
import time

import psycopg2

from incident_management.lifecycle import repository as timeline
from incident_management.webhooks import repository as webhook_repository
from incident_management.webhooks import rules, worker
from servicekit import db
from tests.webhooks.conftest import SUBSCRIPTIONS

INCIDENTS = "/api/v1/incidents"


def open_incident(client, **fields):
    body = {"title": "Checkout failing", "service": "checkout", "severity": "critical", "team": "payments", **fields}
    body = {key: value for key, value in body.items() if value is not None}
    response = client.post(INCIDENTS, json=body)
    assert response.status_code == 201, response.json
    return response.json


def deliver(app, rounds=1):
    return sum(worker.run_due(app) for _ in range(rounds))


def received(listener):
    """(event type, body, headers) of each request the receiver got, in order."""
    return [(r["headers"]["X-Incident-Event"], json.loads(r["body"]), r["headers"]) for r in listener.requests]


def signed_by(secret, request):
    """The receiver's check: the signature over "<timestamp>.<raw body>" with the secret, and a fresh timestamp."""
    headers = request["headers"]
    timestamp, signature = headers["X-Incident-Timestamp"], headers["X-Incident-Signature"]
    return rules.verify(secret, timestamp, request["body"], signature, time.time())


def log_of(client, subscription):
    response = client.get(f"{SUBSCRIPTIONS}/{subscription['id']}/deliveries")
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_the_lifecycle_of_an_incident_arrives_signed_and_in_order(app, client, receiver, subscribe):
    listener = receiver()
    subscription = subscribe(f"http://127.0.0.1:{listener.port}/hook")
    incident = open_incident(client)
    acknowledged = client.patch(f"{INCIDENTS}/{incident['id']}", json={"status": "acknowledged", "actor": "alice"})
    assert acknowledged.status_code == 200
    note = client.post(f"{INCIDENTS}/{incident['id']}/notes", json={"author": "alice", "content": "rolling back"})
    assert note.status_code == 201
    with app.app_context(), db.transaction() as cur:  # what escalation writes (its own tests drive it for real)
        timeline.insert_event(cur, incident["id"], "escalated", "escalation", {"level": 1, "step": "Sam"})
    assert client.patch(f"{INCIDENTS}/{incident['id']}", json={"status": "resolved"}).status_code == 200
    assert deliver(app) == 5

    got = received(listener)
    assert [event for event, _, _ in got] == [
        "incident.opened",
        "incident.acknowledged",
        "incident.note_added",
        "incident.escalated",
        "incident.resolved",
    ]
    assert all(signed_by(subscription["secret"], request) for request in listener.requests)
    assert not signed_by(rules.new_secret(), listener.requests[0])
    for event, body, _headers in got:
        assert body["event_type"] == event and body["incident"]["id"] == incident["id"]
        assert body["incident"]["team"] == "payments" and body["incident"]["service"] == "checkout"
    statuses = [body["incident"]["status"] for _, body, _ in got]
    assert statuses == ["open", "acknowledged", "acknowledged", "acknowledged", "resolved"]
    assert got[1][1]["actor"] == "alice"
    assert got[2][1]["note"]["content"] == "rolling back"
    assert got[3][1]["escalation"]["level"] == 1
    assert len({headers["X-Incident-Delivery"] for _, _, headers in got}) == 5
    assert {d["status"] for d in log_of(client, subscription)} == {"delivered"}


def test_only_the_teams_service_and_events_asked_for(app, client, receiver, subscribe):
    listener = receiver()
    url = f"http://127.0.0.1:{listener.port}/hook"
    subscribe(url, event_types=["incident.resolved"])
    subscribe(url, service="search")
    subscribe(url, team="storage")
    subscribe(url, enabled=False)
    incident = open_incident(client)
    client.patch(f"{INCIDENTS}/{incident['id']}", json={"status": "resolved"})
    deliver(app)
    assert [event for event, _, _ in received(listener)] == ["incident.resolved"]


def test_a_failing_receiver_gets_the_event_after_retries(app, client, receiver, subscribe):
    answers = iter([500, 500, 200])
    listener = receiver(lambda _path: (next(answers), {}, b""))
    subscription = subscribe(f"http://127.0.0.1:{listener.port}/hook", event_types=["incident.opened"])
    open_incident(client)
    deliver(app, rounds=3)
    assert len(listener.requests) == 3
    assert len({r["headers"]["X-Incident-Delivery"] for r in listener.requests}) == 1  # one delivery, retried
    (entry,) = log_of(client, subscription)
    outcome = (entry["status"], entry["attempts"], entry["last_status_code"], entry["last_error"])
    assert outcome == ("delivered", 3, 200, None)


def test_a_dead_receiver_ends_as_failed_with_the_reason(make_incidents, client, receiver, subscribe):
    app = make_incidents(WEBHOOK_MAX_ATTEMPTS=3)
    listener = receiver()
    port = listener.port
    listener.close()  # nobody listens there any more
    subscription = subscribe(f"http://127.0.0.1:{port}/hook", event_types=["incident.opened"])
    open_incident(client)
    deliver(app, rounds=4)
    (entry,) = log_of(client, subscription)
    assert (entry["status"], entry["attempts"], entry["next_attempt_at"]) == ("failed", 3, None)
    assert "receiver unreachable" in entry["last_error"] and entry["finished_at"]


def test_a_4xx_is_not_retried(app, client, receiver, subscribe):
    listener = receiver(lambda _path: (410, {}, b"gone"))
    subscription = subscribe(f"http://127.0.0.1:{listener.port}/hook", event_types=["incident.opened"])
    open_incident(client)
    deliver(app, rounds=3)
    (entry,) = log_of(client, subscription)
    assert (entry["status"], entry["attempts"], entry["last_error"]) == ("failed", 1, "receiver answered 410 Gone")


def test_back_off_leaves_the_retry_for_later(make_incidents, client, receiver, subscribe):
    app = make_incidents(WEBHOOK_RETRY_BASE_SECONDS=30.0)
    listener = receiver(lambda _path: (503, {}, b""))
    subscription = subscribe(f"http://127.0.0.1:{listener.port}/hook", event_types=["incident.opened"])
    open_incident(client)
    deliver(app, rounds=3)
    assert len(listener.requests) == 1
    (entry,) = log_of(client, subscription)
    assert (entry["status"], entry["attempts"], entry["last_status_code"]) == ("pending", 1, 503)
    assert entry["next_attempt_at"] > entry["last_attempt_at"]


def test_the_test_event(app, client, receiver, subscribe):
    listener = receiver()
    subscription = subscribe(f"http://127.0.0.1:{listener.port}/hook", event_types=["incident.resolved"])
    queued = client.post(f"{SUBSCRIPTIONS}/{subscription['id']}/test")
    assert queued.status_code == 202, queued.json
    assert (queued.json["status"], queued.json["event_type"]) == ("pending", "webhook.test")
    deliver(app)
    ((event, body, _),) = received(listener)
    assert event == "webhook.test" and body["incident"]["team"] == "payments"
    assert log_of(client, subscription)[0]["status"] == "delivered"


def test_a_test_event_reaches_a_disabled_subscription_and_incident_events_do_not(app, client, receiver, subscribe):
    listener = receiver()
    subscription = subscribe(f"http://127.0.0.1:{listener.port}/hook", event_types=["incident.opened"])
    open_incident(client)
    with app.app_context(), db.transaction() as cur:
        worker.fan_out(app, cur)  # its delivery is made while enabled...
    client.patch(f"{SUBSCRIPTIONS}/{subscription['id']}", json={"enabled": False})  # ...and disabled before sent
    client.post(f"{SUBSCRIPTIONS}/{subscription['id']}/test")
    deliver(app)
    assert [event for event, _, _ in received(listener)] == ["webhook.test"]
    log = {entry["event_type"]: entry for entry in log_of(client, subscription)}
    assert log["webhook.test"]["status"] == "delivered"
    assert log["incident.opened"]["status"] == "failed"
    assert log["incident.opened"]["last_error"] == "the subscription was disabled before delivery"


def test_the_log_keeps_its_days_and_what_is_still_pending(app, client, subscribe, sql):
    subscription = subscribe("http://127.0.0.1:9/hook", event_types=["incident.opened"])
    open_incident(client, title="old, delivered")
    open_incident(client, title="old, still pending")
    open_incident(client, title="recent")
    sql("UPDATE webhook_events SET fanned_out_at = now()")
    sql(
        "INSERT INTO webhook_deliveries (subscription_id, event_id, status) SELECT %s, id, "
        "CASE WHEN data -> 'incident' ->> 'title' LIKE '%%pending' THEN 'pending' ELSE 'delivered' END "
        "FROM webhook_events",
        (subscription["id"],),
    )
    sql(
        "UPDATE webhook_events SET occurred_at = now() - interval '15 days' "
        "WHERE data -> 'incident' ->> 'title' LIKE 'old%%'"
    )
    with app.app_context(), db.transaction() as cur:
        assert webhook_repository.purge_old_events(cur, 14) == 1
    kept = sql("SELECT data -> 'incident' ->> 'title' FROM webhook_events ORDER BY seq")
    assert kept == [("old, still pending",), ("recent",)]


def test_a_refused_destination_fails_with_a_clear_error(make_incidents, client, subscribe, sql):
    subscription = subscribe("http://127.0.0.1:9/hook", event_types=["incident.opened"])
    strict = make_incidents(WEBHOOK_ALLOWED_HOSTS="")  # e.g. the allow-list changed since
    open_incident(client)
    deliver(strict)
    (entry,) = log_of(client, subscription)
    assert entry["status"] == "failed"
    assert entry["last_error"].startswith("destination refused: 127.0.0.1 is a loopback")


def test_the_event_is_written_with_the_change_or_not_at_all(client, subscribe, sql, db_url):
    subscribe("http://127.0.0.1:9/hook")
    incident = open_incident(client)
    conn = psycopg2.connect(db_url)
    try:
        with conn.cursor() as cur:
            timeline.insert_event(cur, incident["id"], "resolved", "alice")
            cur.execute("SELECT count(*) FROM webhook_events")
            assert cur.fetchone() == (2,)  # written in the change's transaction
        conn.rollback()  # e.g. the request failed after the change
    finally:
        conn.close()
    assert sql("SELECT event_type FROM webhook_events") == [("incident.opened",)]


def test_no_subscription_no_outbox(client, sql):
    open_incident(client)
    assert sql("SELECT count(*) FROM webhook_events") == [(0,)]


def test_an_incident_without_a_team_waits_for_its_page_then_takes_the_default_team(make_incidents, receiver, sql):
    app = make_incidents(DEFAULT_TEAM="payments", WEBHOOK_TEAM_WAIT_SECONDS=3600)
    client = app.test_client()
    listener = receiver()
    client.post(SUBSCRIPTIONS, json={"team": "payments", "url": f"http://127.0.0.1:{listener.port}/hook"})
    open_incident(client, team=None)
    deliver(app)
    assert listener.requests == []  # its page (the on-call lookup) is still queued
    sql("DELETE FROM paging_jobs")
    deliver(app)
    ((event, body, _),) = received(listener)
    assert (event, body["incident"]["team"]) == ("incident.opened", "payments")


def test_two_workers_never_send_one_event_twice(make_incidents, client, receiver, subscribe):
    slow = receiver(lambda _path: (time.sleep(0.02), (200, {}, b""))[1])
    subscribe(f"http://127.0.0.1:{slow.port}/hook", event_types=["incident.opened"])
    for number in range(30):
        open_incident(client, title=f"incident {number}", service=f"svc-{number}")
    workers = [make_incidents(WEBHOOK_BATCH=5) for _ in range(3)]
    threads = [threading.Thread(target=deliver, args=(w, 4)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deliver(workers[0], rounds=2)
    event_ids = [json.loads(r["body"])["event_id"] for r in slow.requests]
    assert len(event_ids) == 30 and len(set(event_ids)) == 30
