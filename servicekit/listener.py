"""A daemon thread that LISTENs on one PostgreSQL channel over its own connection (outside the pool).

Each notice's payload goes to `on_notice`. After every (re)connection `on_connected` is called, because
notices sent while no connection listened are lost and whoever relies on them must catch up. The thread
ends when `wanted()` turns false (nobody needs it now) and `start()` begins it again.
"""

import logging
import select
import threading
import weakref

import psycopg2

log = logging.getLogger(__name__)

# Asked while no notice comes, so that a dead server is noticed.
PING = "SELECT 1"
POLL_SECONDS = 5.0
MAX_DELAY_SECONDS = 5.0
_made = weakref.WeakSet()


def stop_all():
    """Stop every listener of this process (tests end their apps' connections with it)."""
    for listener in list(_made):
        listener.stop()


class Listener:
    def __init__(self, dsn, channel, on_notice, on_connected, application_name, wanted=lambda: True):
        self.dsn = dsn
        self.channel = channel
        self.on_notice = on_notice
        self.on_connected = on_connected
        self.application_name = application_name
        self.wanted = wanted
        self.listening = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._running = False
        _made.add(self)

    def start(self):
        """Start the thread unless it runs (call after adding whatever makes `wanted()` true)."""
        with self._lock:
            if self._running:
                return
            self._running = True
            self._stop.clear()
        threading.Thread(target=self._run, name=f"listen-{self.channel}", daemon=True).start()

    def stop(self):
        self._stop.set()

    def _idle(self):
        """True, and the thread counts as ended, when nobody wants it; under the lock `start()` takes."""
        with self._lock:
            if self.wanted() and not self._stop.is_set():
                return False
            self._running = False
            return True

    def _run(self):
        delay = 0.2
        while not self._idle():
            try:
                conn = psycopg2.connect(self.dsn, connect_timeout=3, application_name=self.application_name)
            except psycopg2.OperationalError as error:
                log.warning("listener on %s cannot connect (%s); retrying in %.1fs", self.channel, error, delay)
                self._stop.wait(delay)
                delay = min(delay * 2, MAX_DELAY_SECONDS)
                continue
            delay = 0.2
            try:
                if self._listen(conn):
                    return
            except (psycopg2.Error, OSError) as error:
                log.warning("listener on %s lost its connection (%s); reconnecting", self.channel, error)
            finally:
                self.listening.clear()
                conn.close()

    def _listen(self, conn):
        """Deliver notices until the connection fails (raises) or the thread is no longer wanted (True)."""
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {self.channel}")
        self.listening.set()
        self.on_connected()
        while not self._idle():
            if select.select([conn], [], [], POLL_SECONDS) == ([], [], []):
                with conn.cursor() as cur:
                    cur.execute(PING)
                continue
            conn.poll()
            while conn.notifies:
                self.on_notice(conn.notifies.pop(0).payload)
        return True
