"""servicekit.listener against a real PostgreSQL: notices arrive, a lost connection is rejoined (and said so,
since notices sent meanwhile are lost), and the thread lets its connection go when nobody wants it."""

import queue
import threading
import time

from servicekit.listener import Listener
from tests.waiting import wait_for

CHANNEL = "listener_test"


def listeners(sql, name):
    return sql("SELECT pid FROM pg_stat_activity WHERE application_name = %s", (name,))


def make(db_url, name, wanted=lambda: True):
    notices, connections = queue.Queue(), []
    listener = Listener(db_url, CHANNEL, notices.put, lambda: connections.append(time.monotonic()), name, wanted)
    return listener, notices, connections


def test_notices_arrive_and_a_killed_connection_is_rejoined_and_announced(db_url, sql):
    listener, notices, connections = make(db_url, "listener-test-a")
    listener.start()
    try:
        assert listener.listening.wait(5)
        sql("SELECT pg_notify(%s, 'one')", (CHANNEL,))
        assert notices.get(timeout=2) == "one"
        assert len(connections) == 1

        sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'listener-test-a'")
        # The next ping finds the connection gone; the listener connects again and says so.
        wait_for(lambda: len(connections) == 2, 10, "a second connection", interval=0.05)
        sql("SELECT pg_notify(%s, 'two')", (CHANNEL,))
        assert notices.get(timeout=2) == "two"
    finally:
        listener.stop()


def test_the_connection_goes_when_nobody_wants_it_and_comes_back_on_start(db_url, sql, monkeypatch):
    monkeypatch.setattr("servicekit.listener.POLL_SECONDS", 0.1)
    wanted = threading.Event()
    wanted.set()
    listener, notices, connections = make(db_url, "listener-test-b", wanted.is_set)
    listener.start()
    listener.start()  # a second start while it runs adds no second thread
    try:
        assert listener.listening.wait(5)
        assert len(listeners(sql, "listener-test-b")) == 1
        wanted.clear()
        wait_for(lambda: not listeners(sql, "listener-test-b"), 5, "the connection to go", interval=0.05)
        assert not listener.listening.is_set()

        wanted.set()
        listener.start()
        assert listener.listening.wait(5)
        sql("SELECT pg_notify(%s, 'back')", (CHANNEL,))
        assert notices.get(timeout=2) == "back"
        assert len(connections) == 2
    finally:
        listener.stop()
