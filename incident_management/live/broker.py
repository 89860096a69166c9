"""One listener per process fans PostgreSQL's incident change notices out to the open event streams.

The listener (servicekit.listener: its own connection, LISTEN incident_changes) starts when the first stream
subscribes and lets its connection go when the last one leaves. Each stream has a bounded queue: one that
falls behind is dropped and its browser reconnects. Whenever the listener (re)connects it tells every stream
to `resync`, since notices sent while nobody listened are lost.
"""

import json
import logging
import queue
import threading

from servicekit.listener import Listener

log = logging.getLogger(__name__)

CHANNEL = "incident_changes"
QUEUE_SIZE = 1000
RESYNC = {"change": "resync"}


class Broker:
    def __init__(self, dsn, application_name="incident-management-live"):
        self._subscribers = set()
        self._lock = threading.Lock()
        self._listener = Listener(
            dsn, CHANNEL, self._notice, lambda: self.publish(RESYNC), application_name, wanted=lambda: self.streams > 0
        )
        self.listening = self._listener.listening

    def subscribe(self):
        """A queue that receives every change from now on (and `resync` after a lost connection)."""
        inbox = queue.Queue(QUEUE_SIZE)
        with self._lock:
            self._subscribers.add(inbox)
        self._listener.start()
        return inbox

    def unsubscribe(self, inbox):
        with self._lock:
            self._subscribers.discard(inbox)

    @property
    def streams(self):
        with self._lock:
            return len(self._subscribers)

    def stop(self):
        self._listener.stop()

    def publish(self, change):
        with self._lock:
            inboxes = list(self._subscribers)
        for inbox in inboxes:
            try:
                inbox.put_nowait(change)
            except queue.Full:  # a stream that stopped reading: drop it, its browser reconnects
                self.unsubscribe(inbox)

    def _notice(self, payload):
        try:
            self.publish(json.loads(payload))
        except ValueError:
            log.warning("live listener: a notice that is not JSON: %.200s", payload)
