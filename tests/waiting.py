"""Waiting in tests: poll a check until it answers something truthy, or fail naming what was awaited."""

import time


def wait_for(check, timeout=30.0, what="condition", interval=0.3):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
