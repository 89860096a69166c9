"""The delivery log over the API: idempotent retries, listing and filters, metrics, documentation."""

import threading

from notification_service import create_app
from tests.conftest import LOCAL_RECEIVERS
from tests.notification_service.conftest import metric_value


def notify(client, incident_id, **fields):
    body = {"incident_id": incident_id, "recipient": "alice", "message": "db down", **fields}
    return client.post("/api/v1/notify", json=body)


def test_a_retry_with_the_same_dedup_key_sends_nothing_again(client, incident_id, receiver, sql):
    hook = receiver()
    fields = {"channel": "webhook", "recipient": hook.url, "dedup_key": f"page:{incident_id}:alice"}

    first = notify(client, incident_id, **fields)
    again = notify(client, incident_id, **fields)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json == first.json
    assert len(hook.requests) == 1
    assert sql("SELECT count(*) FROM notifications") == [(1,)]


def test_a_dedup_key_reused_for_another_recipient_is_a_conflict(client, incident_id):
    notify(client, incident_id, dedup_key="k-1")

    response = notify(client, incident_id, recipient="bob", dedup_key="k-1")

    assert response.status_code == 409
    assert "recipient" in response.json["message"]
    assert response.json["errors"] == {"json": {"dedup_key": ["Already used for another notification."]}}


def test_simultaneous_requests_with_one_dedup_key_deliver_once(make_app, incident_id, receiver, sql):
    hook = receiver(delay=0.05)
    clients = [make_app(create_app, WEBHOOK_ALLOWED_HOSTS=LOCAL_RECEIVERS).test_client() for _ in range(6)]
    start = threading.Barrier(len(clients))
    codes = []

    def post(client):
        start.wait()
        response = notify(client, incident_id, channel="webhook", recipient=hook.url, dedup_key="same")
        codes.append(response.status_code)

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(codes) == [200] * 5 + [201]
    assert len(hook.requests) == 1
    assert sql("SELECT count(*) FROM notifications") == [(1,)]


def test_the_list_is_newest_first_filtered_and_paginated(client, make_incident, receiver):
    first_incident, second_incident = make_incident("one"), make_incident("two")
    broken = receiver(statuses=lambda _n: 503)
    a = notify(client, first_incident, recipient="alice").json
    b = notify(client, first_incident, recipient="bob").json
    c = notify(client, second_incident, recipient="alice").json
    d = notify(client, second_incident, channel="webhook", recipient=broken.url).json

    def ids(query=""):
        body = client.get(f"/api/v1/notifications{query}").json
        return [item["id"] for item in body["items"]], body["total"]

    assert ids() == ([d["id"], c["id"], b["id"], a["id"]], 4)
    assert ids(f"?incident_id={first_incident}") == ([b["id"], a["id"]], 2)
    assert ids("?recipient=alice") == ([c["id"], a["id"]], 2)
    assert ids("?status=pending") == ([d["id"]], 1)
    assert ids("?status=sent&channel=log") == ([c["id"], b["id"], a["id"]], 3)
    assert ids("?channel=email") == ([], 0)
    assert ids(f"?since={c['created_at'].replace('+', '%2B')}") == ([d["id"], c["id"]], 2)
    page = client.get("/api/v1/notifications?page=2&page_size=3").json
    assert page == {
        "items": [client.get(f"/api/v1/notifications/{a['id']}").json],
        "total": 4,
        "page": 2,
        "page_size": 3,
    }


def test_one_notification_reads_back_as_it_was_answered(client, incident_id):
    created = notify(client, incident_id, subject="P1").json

    response = client.get(f"/api/v1/notifications/{created['id']}")

    assert response.status_code == 200
    assert response.json == created
    assert set(created) >= {
        "id",
        "incident_id",
        "channel",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    }


def test_metrics_count_outcomes_and_read_the_pending_gauge_from_the_database(client, incident_id, receiver):
    broken = receiver(statuses=lambda _n: 503)
    sent_before = metric_value(client, "notifications_sent_total", channel="log", status="sent")
    errors_before = metric_value(client, "notification_attempts_total", channel="slack", result="error")

    notify(client, incident_id)
    notify(client, incident_id, channel="slack", recipient=broken.url)
    notify(client, incident_id, channel="slack", recipient=broken.url)

    assert metric_value(client, "notifications_sent_total", channel="log", status="sent") == sent_before + 1
    assert metric_value(client, "notification_attempts_total", channel="slack", result="error") == errors_before + 2
    assert metric_value(client, "notifications_pending", channel="slack") == 2
    assert metric_value(client, "notifications_pending", channel="email") == 0
    assert metric_value(client, "notifications_oldest_pending_age_seconds") > 0


def test_every_endpoint_is_documented(client):
    spec = client.get("/docs/openapi.json").json
    operations = {
        ("/api/v1/notify", "post"): {"201", "202", "200", "409", "422"},
        ("/api/v1/notifications", "get"): {"200", "422"},
        ("/api/v1/notifications/{notification_id}", "get"): {"200", "404"},
    }

    for (path, method), codes in operations.items():
        operation = spec["paths"][path][method]
        assert operation["summary"], (path, method)
        assert codes <= set(operation["responses"]), (path, method, operation["responses"].keys())
    request = spec["components"]["schemas"]["NotifyRequest"]
    assert set(request["required"]) == {"incident_id", "recipient", "message"}
    assert request["properties"]["channel"]["enum"] == ["log", "webhook", "email", "slack", "apprise"]
    swagger = client.get("/docs/swagger")
    assert swagger.status_code == 200
    assert b"/docs/static/" in swagger.data
