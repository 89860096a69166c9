"""When to try a failed delivery again, and when to give up. Pure functions, no I/O."""

PENDING = "pending"
FAILED = "failed"
_MAX_EXPONENT = 32  # 2**32 times any base is past every sensible cap; keeps the float finite


def retry_delay(attempts, base_seconds, max_seconds):
    """Seconds to wait after failed attempt number `attempts` (1, 2, ...): base, 2*base, 4*base, ... capped."""
    exponent = min(max(attempts - 1, 0), _MAX_EXPONENT)
    return min(max_seconds, base_seconds * 2**exponent)


def after_failure(attempts, max_attempts, permanent, base_seconds, max_seconds):
    """State after failed attempt number `attempts`: (FAILED, None) or (PENDING, seconds until the next try)."""
    if permanent or attempts >= max_attempts:
        return FAILED, None
    return PENDING, retry_delay(attempts, base_seconds, max_seconds)
