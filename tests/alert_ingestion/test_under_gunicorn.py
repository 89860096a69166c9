"""Alert ingestion and incident management under gunicorn, over HTTP: concurrency and the outbox.

The Flask test client cannot show either: these run against the tests' own native
stack (several gunicorn workers per service) plus extra replicas on the same database.
"""

import collections
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.ports import free_port

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def replicas(stack):
    """A second incident management and a second ingestion talking to it: two replicas of each."""
    incidents_port, ingestion_port = free_port(), free_port()
    processes = [stack.start_replica("incident_management", incidents_port)]
    processes.append(
        stack.start_replica(
            "alert_ingestion", ingestion_port, INCIDENT_MANAGEMENT_URL=f"http://127.0.0.1:{incidents_port}"
        )
    )
    yield [stack.url("alert_ingestion"), f"http://127.0.0.1:{ingestion_port}"]
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


def post_simultaneously(urls, alerts):
    """POST every alert at the same instant, spread over the ingestion replicas."""
    barrier = threading.Barrier(len(alerts))

    def send(numbered):
        number, alert = numbered
        barrier.wait()
        return requests.post(f"{urls[number % len(urls)]}/api/v1/alerts", json=alert, timeout=30)

    with ThreadPoolExecutor(len(alerts)) as pool:
        return list(pool.map(send, enumerate(alerts)))


def test_fifty_simultaneous_alerts_make_exactly_one_incident(stack, replicas):
    service = f"checkout-{uuid.uuid4().hex[:8]}"
    alerts = [{"service": service, "severity": "critical", "message": f"5xx burst {i}"} for i in range(50)]
    responses = post_simultaneously(replicas, alerts)

    assert [r.status_code for r in responses] == [201] * 50
    answers = [r.json() for r in responses]
    assert len({a["incident_id"] for a in answers}) == 1
    assert collections.Counter(a["result"] for a in answers) == {"new_incident": 1, "existing_incident": 49}

    incidents = requests.get(
        f"{stack.url('incident_management')}/api/v1/incidents", params={"service": service}, timeout=10
    ).json()
    assert incidents["total"] == 1
    detail = requests.get(
        f"{stack.url('incident_management')}/api/v1/incidents/{answers[0]['incident_id']}", timeout=10
    ).json()
    assert detail["alert_count"] == 50
    assert {a["id"] for a in detail["alerts"]} == {a["alert_id"] for a in answers}


def test_simultaneous_alerts_for_several_keys_make_one_incident_per_key(stack, replicas):
    run = uuid.uuid4().hex[:8]
    keys = [(f"svc{n}-{run}", severity) for n in range(4) for severity in ("high", "low")]
    alerts = [{"service": s, "severity": v, "message": f"m{i}"} for i in range(6) for s, v in keys]
    responses = post_simultaneously(replicas, alerts)
    assert {r.status_code for r in responses} == {201}

    by_key = collections.defaultdict(set)
    for alert, response in zip(alerts, responses, strict=True):
        by_key[alert["service"], alert["severity"]].add(response.json()["incident_id"])
    assert all(len(incident_ids) == 1 for incident_ids in by_key.values())
    assert len({next(iter(ids)) for ids in by_key.values()}) == len(keys)


def test_a_retried_alert_is_stored_once_even_when_retries_race(stack, replicas):
    alert = {"service": f"api-{uuid.uuid4().hex[:8]}", "severity": "high", "message": "m", "dedup_key": "retry-1"}
    responses = post_simultaneously(replicas, [alert] * 10)
    assert sorted(r.status_code for r in responses) == [200] * 9 + [201]
    assert len({r.json()["alert_id"] for r in responses}) == 1
    assert len({r.json()["incident_id"] for r in responses}) == 1


def test_alerts_sent_while_incident_management_is_down_are_attached_when_it_is_back(stack):
    ingestion = stack.url("alert_ingestion")
    run = uuid.uuid4().hex[:8]
    alerts = [
        {"service": f"{name}-{run}", "severity": "high", "message": f"m{i}"}
        for i in range(5)
        for name in ("billing", "search")
    ]
    stack.stop("incident_management")
    try:
        responses = [requests.post(f"{ingestion}/api/v1/alerts", json=alert, timeout=10) for alert in alerts]
    finally:
        stack.start("incident_management")

    assert {r.status_code for r in responses} == {202}
    assert {r.json()["result"] for r in responses} == {"pending"}
    alert_ids = [r.json()["alert_id"] for r in responses]

    deadline = time.monotonic() + 60
    while True:
        stored = [requests.get(f"{ingestion}/api/v1/alerts/{alert_id}", timeout=5).json() for alert_id in alert_ids]
        if all(alert["correlation"] != "pending" for alert in stored) or time.monotonic() > deadline:
            break
        time.sleep(1)

    assert all(alert["incident_id"] for alert in stored), "every alert is attached once the service is back"
    incidents_by_service = collections.defaultdict(set)
    for alert in stored:
        incidents_by_service[alert["service"]].add(alert["incident_id"])
    assert {service: len(ids) for service, ids in incidents_by_service.items()} == {
        f"billing-{run}": 1,
        f"search-{run}": 1,
    }
    pending = requests.get(f"{ingestion}/metrics", timeout=5).text
    assert "alerts_pending_correlation 0.0" in pending
