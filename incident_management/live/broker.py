"""One listener per process fans PostgreSQL's incident change notices out to the open event streams.

A daemon thread holds its own connection (outside the pool) with LISTEN incident_changes, started when the
first stream subscribes. Each stream has a bounded queue: one that falls behind is dropped and its browser
reconnects. When the listener loses its connection it reconnects and tells every stream to `resync`, since
notices sent meanwhile are lost.
"""

import json
import logging
import queue
import select
import threading

import psycopg2

log = logging.getLogger(__name__)

CHANNEL = "incident_changes"
# Start listening (autocommit: a notice is delivered between transactions).
LISTEN = f"LISTEN {CHANNEL}"
# Asked while no notice comes, so that a dead server is noticed.
PING = "SELECT 1"
QUEUE_SIZE = 1000
POLL_SECONDS = 5.0
RESYNC = {"change": "resync"}


class Broker:
    def __init__(self, dsn, application_name="incident-management-live"):
        self.dsn = dsn
        self.application_name = application_name
        self._subscribers = set()
        self._lock = threading.Lock()
        self._thread = None
        self._stop = threading.Event()
        self.listening = threading.Event()

    def subscribe(self):
        """A queue that receives every change from now on (and `resync` after a lost connection)."""
        inbox = queue.Queue(QUEUE_SIZE)
        with self._lock:
            self._subscribers.add(inbox)
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._run, name="incident-live-listener", daemon=True)
                self._thread.start()
        return inbox

    def unsubscribe(self, inbox):
        with self._lock:
            self._subscribers.discard(inbox)

    @property
    def streams(self):
        with self._lock:
            return len(self._subscribers)

    def stop(self):
        self._stop.set()

    def publish(self, change):
        with self._lock:
            inboxes = list(self._subscribers)
        for inbox in inboxes:
            try:
                inbox.put_nowait(change)
            except queue.Full:  # a stream that stopped reading: drop it, its browser reconnects
                self.unsubscribe(inbox)

    def _run(self):
        delay = 0.2
        first = True
        while not self._stop.is_set():
            try:
                conn = psycopg2.connect(self.dsn, connect_timeout=3, application_name=self.application_name)
            except psycopg2.OperationalError as error:
                log.warning("live listener cannot connect (%s); retrying in %.1fs", error, delay)
                self._stop.wait(delay)
                delay = min(delay * 2, 5.0)
                continue
            delay = 0.2
            try:
                if self._listen(conn, announce_resync=not first) == "idle":
                    return
            except (psycopg2.Error, OSError) as error:
                log.warning("live listener lost its connection (%s); reconnecting", error)
            finally:
                self.listening.clear()
                conn.close()
            first = False

    def _listen(self, conn, announce_resync):
        """Deliver notices until the connection fails (raises), stop() or nobody subscribes ("idle")."""
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(LISTEN)
        self.listening.set()
        if announce_resync:
            self.publish(RESYNC)
        while not self._stop.is_set():
            with self._lock:
                if not self._subscribers:  # nobody watches: let the connection go until the next stream
                    self._thread = None
                    return "idle"
            if select.select([conn], [], [], POLL_SECONDS) == ([], [], []):
                with conn.cursor() as cur:
                    cur.execute(PING)
                continue
            conn.poll()
            while conn.notifies:
                notice = conn.notifies.pop(0)
                try:
                    self.publish(json.loads(notice.payload))
                except ValueError:
                    log.warning("live listener: a notice that is not JSON: %.200s", notice.payload)
