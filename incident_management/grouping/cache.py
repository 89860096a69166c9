"""Each worker's copy of the grouping rules, read again after a few seconds.

Correlation runs for every alert; reading the rules from the database each time would add a
query to that path even when no service has a rule. A rule written through this worker applies
at once here, and in the other workers within GROUPING_RULES_CACHE_SECONDS.
"""

import threading
import time

from incident_management.grouping import repository

_EXTENSION = "incident_management.grouping_rules"


class RuleCache:
    def __init__(self, max_age_seconds):
        self.max_age = max_age_seconds
        self._rules = {}
        self._read_at = None
        self._lock = threading.Lock()

    def rule_for(self, cur, service):
        """The service's rule (a dict) or None, from a copy at most max_age old (read with `cur` when older)."""
        now = time.monotonic()
        if self._read_at is None or now - self._read_at >= self.max_age:
            rules = {rule["service"]: rule for rule in repository.list_rules(cur)}
            with self._lock:
                self._rules, self._read_at = rules, now
        return self._rules.get(service)

    def forget(self):
        """Read the rules again at the next alert (this worker changed one)."""
        with self._lock:
            self._read_at = None


def init_app(app):
    app.extensions[_EXTENSION] = RuleCache(app.config["GROUPING_RULES_CACHE_SECONDS"])


def of(app):
    return app.extensions[_EXTENSION]
