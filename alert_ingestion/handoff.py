"""Micro-batching the synchronous hand-off: alerts of concurrent requests share one call to incident management.

A request's thread puts its stored alert in the queue. While fewer than `max_calls` calls are in flight, a
waiting thread takes up to `max_batch` queued alerts (its own and its neighbours') and makes the call; the
others wait for their answer. Under light load a batch is one alert, sent at once (no timer adds latency);
under heavy load the queue fills while calls are in flight, and each call carries many alerts. Every answer
comes from incident management after its commit, so an alert is answered only with an incident that holds it.
"""

import collections
import contextlib
import threading


class _Waiting:
    __slots__ = ("alert", "answer", "done")

    def __init__(self, alert):
        self.alert, self.answer, self.done = alert, None, False


class HandOff:
    """`send(alerts)` returns one answer (or None: stays in the outbox) per alert, in order, and never raises."""

    def __init__(self, send, max_batch=100, max_calls=2):
        self._send = send
        self.max_batch = max_batch
        self.max_calls = max_calls
        self._changed = threading.Condition()
        self._queue = []
        self._calls = 0

    def deliver(self, alert):
        """Hand one alert over (in a batch); its answer, or None when it stays in the outbox."""
        mine = _Waiting(alert)
        with self._changed:
            self._queue.append(mine)
        while True:
            with self._changed:
                # Wait while our alert is in another thread's call, or every call slot is taken.
                while not mine.done and (not self._queue or self._calls >= self.max_calls):
                    self._changed.wait()
                if mine.done:
                    return mine.answer
                batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
                self._calls += 1
            try:
                answers = self._send([waiting.alert for waiting in batch])
                for waiting, answer in zip(batch, answers, strict=True):
                    waiting.answer = answer
            finally:
                with self._changed:
                    for waiting in batch:
                        waiting.done = True
                    self._calls -= 1
                    self._changed.notify_all()


class Later:
    """Alerts stored with an answer already given (202): handed over by threads of this worker in batches,
    right after their commit. The outbox keeps them until incident management has them, so a crash costs
    nothing but a later relay.

    Each of `shards` threads takes the alerts of its share of the correlation keys: batches of different
    shards never wait on each other's correlation locks in incident management, so they run side by side.
    `send(shard, alerts)` hands one batch over. `reserved(n)` (around storing) first waits while `max_waiting`
    alerts wait or are being stored already (in arrival order, at most `patience` seconds): a sender faster
    than correlation is slowed down instead of growing the queue and the time to attach without bound.
    """

    def __init__(self, send, shard_of, shards=2, max_batch=200, max_waiting=2000, patience=10.0):
        self._send, self._shard_of = send, shard_of
        self.max_batch, self.max_waiting, self.patience = max_batch, max_waiting, patience
        self._changed = threading.Condition()
        self._queues = [[] for _ in range(shards)]
        self._threads = []
        self._reserved = 0
        self._line = collections.deque()  # requests waiting for room, first come first served
        self._sending = 0

    @contextlib.contextmanager
    def reserved(self, count):
        """Room for `count` alerts (waiting for it first, in arrival order), given back when the block ends."""
        turn = object()
        with self._changed:
            self._line.append(turn)
            self._changed.wait_for(lambda: self._line[0] is turn and self._has_room(count), timeout=self.patience)
            self._line.remove(turn)
            self._reserved += count
            self._changed.notify_all()
        try:
            yield
        finally:
            with self._changed:
                self._reserved -= count
                self._changed.notify_all()

    def _has_room(self, count):
        taken = self._waiting() + self._reserved
        return taken == 0 or taken + count <= self.max_waiting

    def add(self, alerts):
        with self._changed:
            if not self._threads:  # started in the worker that uses them (after gunicorn forks)
                self._threads = [
                    threading.Thread(target=self._run, args=(shard, queue), name="handoff-later", daemon=True)
                    for shard, queue in enumerate(self._queues)
                ]
                for thread in self._threads:
                    thread.start()
            for alert in alerts:
                self._queues[self._shard_of(alert) % len(self._queues)].append(alert)
            self._changed.notify_all()

    def _waiting(self):
        """Alerts queued or being sent: those a new one would wait behind."""
        return sum(len(queue) for queue in self._queues) + self._sending

    def _run(self, shard, queue):
        while True:
            with self._changed:
                self._changed.wait_for(lambda: queue)
                batch = queue[: self.max_batch]
                del queue[: self.max_batch]
                self._sending += len(batch)
            try:
                self._send(shard, batch)
            finally:
                with self._changed:
                    self._sending -= len(batch)
                    self._changed.notify_all()
