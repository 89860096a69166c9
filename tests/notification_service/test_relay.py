"""Failed deliveries are retried by the relay with back-off, then marked failed; workers never send twice."""

import threading

import psycopg2
import psycopg2.extras
import pytest

from notification_service import create_app, delivery, repository
from servicekit import db
from tests.conftest import LOCAL_RECEIVERS
from tests.notification_service.conftest import metric_value


def notify_webhook(client, incident_id, url, **fields):
    response = client.post(
        "/api/v1/notify",
        json={"incident_id": incident_id, "channel": "webhook", "recipient": url, "message": "db down", **fields},
    )
    assert response.status_code in (201, 202), response.json
    return response


def read(client, notification_id):
    return client.get(f"/api/v1/notifications/{notification_id}").json


def relay(app):
    with app.app_context():
        return delivery.relay_pending(app)


def test_a_receiver_that_fails_first_and_recovers_gets_it_on_a_retry(app, client, incident_id, receiver):
    flaky = receiver(statuses=lambda n: 503 if n < 3 else 200)  # two failures, then success

    response = notify_webhook(client, incident_id, flaky.url)
    assert response.status_code == 202
    assert response.json["status"] == "pending" and response.json["attempts"] == 1

    assert relay(app) == 2  # retried at once (base 0 in the tests): fails again, then succeeds

    notification = read(client, response.json["id"])
    assert notification["status"] == "sent"
    assert notification["attempts"] == 3
    assert notification["sent_at"] is not None
    assert "503" in notification["last_error"]  # the failure before the success stays visible
    assert notification["next_attempt_at"] is None
    assert flaky.by_key[response.json["id"]] == 3
    assert [request["json"]["attempt"] for request in flaky.requests] == [1, 2, 3]
    assert relay(app) == 0


def test_a_receiver_that_always_fails_ends_failed_after_the_last_attempt(app, client, incident_id, receiver):
    broken = receiver(statuses=lambda _n: 500)
    failed_before = metric_value(client, "notifications_sent_total", channel="webhook", status="failed")

    response = notify_webhook(client, incident_id, broken.url)
    relay(app)

    notification = read(client, response.json["id"])
    assert notification["status"] == "failed"
    assert notification["attempts"] == 3  # NOTIFICATION_MAX_ATTEMPTS in the tests
    assert notification["failed_at"] is not None and notification["sent_at"] is None
    assert notification["last_error"].startswith("receiver answered 500")
    assert broken.by_key[response.json["id"]] == 3
    assert metric_value(client, "notifications_sent_total", channel="webhook", status="failed") == failed_before + 1
    assert relay(app) == 0


def test_a_receiver_that_refuses_for_good_is_not_retried(client, incident_id, receiver):
    gone = receiver(statuses=lambda _n: 404)

    response = notify_webhook(client, incident_id, gone.url)

    assert response.status_code == 202
    assert response.json["status"] == "failed"
    assert response.json["attempts"] == 1
    assert response.json["last_error"].startswith("receiver answered 404")


def test_rate_limiting_is_retried(app, client, incident_id, receiver):
    limited = receiver(statuses=lambda n: 429 if n == 1 else 200)

    response = notify_webhook(client, incident_id, limited.url)
    relay(app)

    assert response.json["status"] == "pending"
    assert read(client, response.json["id"])["status"] == "sent"


def test_retries_back_off_exponentially(make_app, incident_id, receiver, sql):
    app = make_app(
        create_app,
        NOTIFICATION_RETRY_BASE_SECONDS=60.0,
        NOTIFICATION_RETRY_MAX_SECONDS=90.0,
        WEBHOOK_ALLOWED_HOSTS=LOCAL_RECEIVERS,
    )
    client = app.test_client()
    broken = receiver(statuses=lambda _n: 503)

    response = notify_webhook(client, incident_id, broken.url)
    first_wait = sql("SELECT next_attempt_at - updated_at FROM notifications WHERE id = %s", (response.json["id"],))

    assert relay(app) == 0  # not due for a minute
    sql("UPDATE notifications SET next_attempt_at = now() WHERE id = %s", (response.json["id"],))
    assert relay(app) == 1
    second_wait = sql("SELECT next_attempt_at - updated_at FROM notifications WHERE id = %s", (response.json["id"],))
    sql("UPDATE notifications SET next_attempt_at = now() WHERE id = %s", (response.json["id"],))
    relay(app)
    third_wait = sql("SELECT next_attempt_at - updated_at FROM notifications WHERE id = %s", (response.json["id"],))

    assert [w[0][0].total_seconds() for w in (first_wait, second_wait, third_wait)] == [60, 90, 90]  # 60, 120 capped


def test_a_notification_whose_request_died_before_its_attempt_is_delivered_by_the_relay(app, incident_id, receiver):
    hook = receiver()
    with app.app_context(), db.transaction() as cur:  # stored, then the request "dies" without an attempt
        stored = repository.insert_notification(
            cur,
            {"incident_id": incident_id, "channel": "webhook", "recipient": hook.url, "message": "db down"},
            max_attempts=3,
            grace_seconds=0,
        )

    assert relay(app) == 1
    assert hook.by_key[str(stored["id"])] == 1


def test_the_relay_leaves_a_fresh_notification_to_its_request(app, incident_id, receiver):
    hook = receiver()
    with app.app_context(), db.transaction() as cur:
        repository.insert_notification(
            cur,
            {"incident_id": incident_id, "channel": "webhook", "recipient": hook.url, "message": "db down"},
            max_attempts=3,
            grace_seconds=15,
        )

    assert relay(app) == 0
    assert hook.requests == []


def test_the_relay_skips_a_notification_another_worker_holds(app, db_url, incident_id, receiver):
    broken = receiver(statuses=lambda n: 503 if n == 1 else 200)
    response = notify_webhook(app.test_client(), incident_id, broken.url)
    other_worker = psycopg2.connect(db_url)
    try:
        with other_worker.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            assert repository.lock_pending(cur, response.json["id"]) is not None
            assert relay(app) == 0
        other_worker.rollback()
    finally:
        other_worker.close()
    assert relay(app) == 1


@pytest.mark.parametrize("workers", [2, 4])
def test_relay_workers_running_at_once_send_each_notification_once(make_app, incident_id, receiver, sql, workers):
    """Several relays (separate apps and pools, as separate replicas have) drain one queue together."""
    count = 30
    hook = receiver(delay=0.02)
    sql(
        "INSERT INTO notifications (incident_id, channel, recipient, message, max_attempts) "
        "SELECT %s, 'webhook', %s, 'db down #' || n, 3 FROM generate_series(1, %s) AS n",
        (incident_id, hook.url, count),
    )
    apps = [make_app(create_app, WEBHOOK_ALLOWED_HOSTS=LOCAL_RECEIVERS) for _ in range(workers)]
    start = threading.Barrier(workers)
    handled = [0] * workers

    def run(number):
        start.wait()
        with apps[number].app_context():
            while (done := delivery.relay_pending(apps[number], limit=5)) > 0:
                handled[number] += done

    threads = [threading.Thread(target=run, args=(number,)) for number in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(handled) == count
    assert all(share > 0 for share in handled), handled  # they really ran side by side
    assert len(hook.by_key) == count
    assert set(hook.by_key.values()) == {1}
    assert sql("SELECT status, attempts, count(*) FROM notifications GROUP BY 1, 2") == [("sent", 1, count)]


def test_a_fault_inside_a_channel_keeps_the_notification_for_a_retry(app, client, incident_id, monkeypatch):
    from notification_service import channels

    def broken_sender(_app, _notification, _timeout):
        raise KeyError("bug")

    monkeypatch.setitem(channels.SENDERS, "log", broken_sender)
    response = client.post("/api/v1/notify", json={"incident_id": incident_id, "recipient": "a", "message": "m"})
    monkeypatch.undo()

    assert response.status_code == 202
    assert response.json["last_error"] == "internal error: KeyError"
    assert relay(app) == 1
    assert read(client, response.json["id"])["status"] == "sent"
