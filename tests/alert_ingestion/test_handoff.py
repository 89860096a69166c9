"""The synchronous hand-off's micro-batching (alert_ingestion/handoff.py), with threads and no network."""

import contextlib
import threading
import time

from alert_ingestion.handoff import HandOff, Later


def test_concurrent_alerts_share_calls_and_each_gets_its_own_answer():
    calls, first_call_started, release = [], threading.Event(), threading.Event()

    def send(alerts):
        calls.append(list(alerts))
        if len(calls) == 1:  # hold the first call until every other alert is queued behind it
            first_call_started.set()
            release.wait(5)
        return [{"incident_id": f"incident-of-{alert}", "result": "new_incident"} for alert in alerts]

    handoff = HandOff(send, max_batch=100, max_calls=1)
    answers = {}

    def request(alert):
        answers[alert] = handoff.deliver(alert)

    first = threading.Thread(target=request, args=("a0",))
    first.start()
    assert first_call_started.wait(5)
    others = [threading.Thread(target=request, args=(f"a{n}",)) for n in range(1, 20)]
    for thread in others:
        thread.start()
    while len(handoff._queue) < 19:  # every other request waits in the queue
        threading.Event().wait(0.01)
    release.set()
    for thread in [first, *others]:
        thread.join(5)

    assert calls == [["a0"], sorted(calls[1], key=lambda a: int(a[1:]))]  # the 19 others went in one call
    assert sorted(alert for call in calls for alert in call) == sorted(f"a{n}" for n in range(20))
    assert answers == {f"a{n}": {"incident_id": f"incident-of-a{n}", "result": "new_incident"} for n in range(20)}


def test_batches_are_capped_and_calls_in_flight_limited():
    in_flight, most, sizes, lock = [0], [0], [], threading.Lock()
    gate = threading.Barrier(2, timeout=5)

    def send(alerts):
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
            sizes.append(len(alerts))
        if len(sizes) <= 2:
            with contextlib.suppress(threading.BrokenBarrierError):
                gate.wait()  # the first two calls overlap: the limit is two, not one
        with lock:
            in_flight[0] -= 1
        return [None] * len(alerts)  # none delivered: each stays in the outbox

    handoff = HandOff(send, max_batch=3, max_calls=2)
    results = []
    threads = [threading.Thread(target=lambda: results.append(handoff.deliver("x"))) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)

    assert results == [None] * 12
    assert sum(sizes) == 12 and max(sizes) <= 3
    assert most[0] == 2


def test_later_hands_over_by_shard_and_makes_senders_wait_for_room():
    sent, release = [], threading.Event()

    def send(shard, alerts):
        release.wait(5)
        sent.append((shard, list(alerts)))

    later = Later(send, shard_of=lambda alert: alert % 2, shards=2, max_batch=10, max_waiting=4, patience=5)
    with later.reserved(4):
        later.add([0, 1, 2, 3])
    waited = []

    def sender():
        started = time.monotonic()
        with later.reserved(2):
            waited.append(time.monotonic() - started)
            later.add([4, 5])

    thread = threading.Thread(target=sender)
    thread.start()
    time.sleep(0.3)
    assert waited == []  # four wait (or are being sent): no room for two more
    release.set()
    thread.join(5)
    assert waited and waited[0] >= 0.25
    deadline = time.monotonic() + 5
    while sum(len(alerts) for _, alerts in sent) < 6 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sorted(alert for _, alerts in sent for alert in alerts) == [0, 1, 2, 3, 4, 5]
    assert all(alert % 2 == shard for shard, alerts in sent for alert in alerts)
