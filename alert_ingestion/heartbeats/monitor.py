"""Pings and overdue monitors: a ping records itself (and resolves the monitor's alert when it was overdue);
the `heartbeat-check` job opens the alert of each monitor whose ping is overdue, exactly once across workers.
"""

import datetime as dt
import logging

from alert_ingestion import delivery, metrics, repository, source_resolution
from alert_ingestion.heartbeats import repository as heartbeats
from alert_ingestion.maintenance import suppression
from servicekit import db

log = logging.getLogger(__name__)

SOURCE = "heartbeat"


def dedup_key(heartbeat_id):
    return f"heartbeat:{heartbeat_id}"


def overdue_alert(heartbeat):
    """The alert an overdue monitor opens (the `POST /api/v1/alerts` body, already valid)."""
    since = heartbeat["last_ping_at"].isoformat(timespec="seconds")
    labels = {"heartbeat": heartbeat["name"], "heartbeat_id": str(heartbeat["id"])}
    if heartbeat["team"]:
        labels["team"] = heartbeat["team"]
    return {
        "service": heartbeat["service"],
        "severity": heartbeat["severity"],
        "message": f"Heartbeat {heartbeat['name']!r} is overdue: no ping since {since} (expected every "
        f"{heartbeat['interval_seconds']} s, {heartbeat['grace_seconds']} s of grace)",
        "labels": labels,
        "dedup_key": dedup_key(heartbeat["id"]),
        "timestamp": heartbeat["due_at"],
    }


def ping(heartbeat_id, integration_key_id):
    """Record a ping; returns the monitor (with `resolved`) or None when it is unknown or takes another key."""
    with db.transaction() as cur:
        heartbeat = heartbeats.record_ping(cur, heartbeat_id, integration_key_id)
    if heartbeat is None:
        return None
    metrics.heartbeat_pings.inc()
    resolved = False
    if heartbeat.pop("was_overdue"):
        outcome = source_resolution.resolve(
            dedup_key(heartbeat_id), SOURCE, dt.datetime.now(dt.UTC), integration_key_id=None
        )
        resolved = outcome["result"] == "resolved"
    return {**heartbeat, "resolved": resolved}


def check_overdue(app, batch_size=50):
    """Open the alert of every overdue monitor: marking it and storing its alert are one transaction, so each
    overdue spell opens one alert however many workers look; then hand the alerts over at once. A monitor of a
    service or team in a maintenance window is held back: it opens its alert when the window ends, if still late."""
    with db.get_db(app).connection() as conn, db.cursor_in_transaction(conn) as cur:
        late = heartbeats.late_monitors(cur)
        held = [row["id"] for row in late if suppression.covering(app, row["service"], row["team"])]
        opened = []
        for heartbeat in heartbeats.claim_overdue(cur, batch_size, held):
            stored = repository.insert_alert(cur, overdue_alert(heartbeat), SOURCE, 0)
            metrics.heartbeat_alerts_opened.inc()
            log.warning("heartbeat %s (%s) is overdue", heartbeat["name"], heartbeat["id"])
            if stored is not None:  # None: its alert from an earlier spell still fires
                opened.append(stored)
    for alert in opened:
        delivery.deliver(app, alert)
    return len(opened)
