"""The notification service under gunicorn, over HTTP: delivery, the log file, the relay across replicas."""

import json
import re
import time
import uuid

import pytest
import requests

from tests.notification_service.receivers import HttpReceiver, free_port

pytestmark = pytest.mark.stack


def open_incident(stack):
    response = requests.post(
        f"{stack.url('incident_management')}/api/v1/incidents",
        json={"title": "Checkout 5xx", "service": f"checkout-{uuid.uuid4().hex[:6]}", "severity": "high"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def scrape(url, name, **labels):
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in requests.get(f"{url}/metrics", timeout=10).text.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if match and ",".join(sorted((match.group(1) or "").split(","))) == wanted:
            return float(match.group(2))
    return None


@pytest.fixture
def hook():
    receiver = HttpReceiver(statuses=lambda n: 503 if n == 1 else 200)  # every notification fails once
    yield receiver
    receiver.close()


@pytest.fixture(scope="module")
def replica(stack):
    """A second notification service on the same database: two replicas, each with its relay in every worker."""
    port = free_port()
    process = stack.start_replica("notification_service", port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


def test_a_notification_over_http_is_delivered_logged_and_listed(stack):
    service = stack.url("notification_service")
    incident_id = open_incident(stack)
    recipient = f"oncall-{uuid.uuid4().hex[:6]}"

    response = requests.post(
        f"{service}/api/v1/notify",
        json={"incident_id": incident_id, "recipient": recipient, "message": "Checkout is failing", "subject": "P2"},
        timeout=10,
    )

    assert response.status_code == 201, response.text
    notification = response.json()
    assert notification["status"] == "sent" and notification["channel"] == "log"
    listed = requests.get(f"{service}/api/v1/notifications", params={"recipient": recipient}, timeout=10).json()
    assert [item["id"] for item in listed["items"]] == [notification["id"]]
    assert listed["total"] == 1
    logged = (stack.state / "logs" / "notifications.log").read_text().splitlines()
    assert any(json.loads(line)["notification_id"] == notification["id"] for line in logged)
    assert scrape(service, "notifications_sent_total", channel="log", status="sent") >= 1
    assert scrape(service, "notifications_pending", channel="log") is not None


def test_two_replicas_retry_every_failed_webhook_and_send_each_once(stack, replica, hook):
    services = [stack.url("notification_service"), replica]
    incident_id = open_incident(stack)
    ids = []
    for number in range(12):
        response = requests.post(
            f"{services[number % 2]}/api/v1/notify",
            json={"incident_id": incident_id, "channel": "webhook", "recipient": hook.url, "message": f"#{number}"},
            timeout=10,
        )
        assert response.status_code == 202, response.text  # the receiver refused the first attempt
        ids.append(response.json()["id"])

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        listed = requests.get(
            f"{services[0]}/api/v1/notifications", params={"incident_id": incident_id, "page_size": 50}, timeout=10
        ).json()
        if all(item["status"] == "sent" for item in listed["items"]):
            break
        time.sleep(0.5)

    assert {item["id"]: (item["status"], item["attempts"]) for item in listed["items"]} == {
        notification_id: ("sent", 2) for notification_id in ids
    }
    assert {key: hook.by_key[key] for key in ids} == dict.fromkeys(ids, 2)  # one failure, one success, no repeat
