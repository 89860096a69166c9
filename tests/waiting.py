"""Waiting on the native stack: poll a check until it answers something, or fail naming what was awaited."""

import time


def wait_for(check, timeout, what, interval=1.0):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
