"""The guarantees bench/ingest checks after each level, in the database the services wrote to.

- no answer outside 2xx, no socket error;
- every accepted alert (and every stored one) attached to exactly one incident, within a timeout;
- an answer that named an incident named the one the alert is attached to;
- one incident per service and severity within the correlation window (a key's next one only after it).
"""

import json
import time

import psycopg2

from incident_management.correlation.rules import DEFAULT_WINDOW_SECONDS as WINDOW_SECONDS

# Alerts of a level (their services carry its prefix) and whether each is attached yet.
ATTACHED = """
SELECT count(*) AS stored, count(ia.alert_id) AS attached,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM ia.attached_at - a.received_at)) AS p99
FROM alerts a LEFT JOIN incident_alerts ia ON ia.alert_id = a.id
WHERE a.service LIKE %(pattern)s
"""

# The incidents answers named, as the database has them.
ATTACHMENTS = "SELECT alert_id::text, incident_id::text FROM incident_alerts WHERE alert_id = ANY(%(ids)s::uuid[])"

# Incidents opened for a key while an earlier one of that key could still take its alerts: within the
# correlation window of it (less a second: an incident's created_at is its transaction's start, a little
# before the lookup that found no candidate). A level longer than the window rightly opens a key's next one.
DOUBLED_KEYS = """
SELECT count(*) FROM (
    SELECT created_at - lag(created_at) OVER (PARTITION BY service, severity ORDER BY created_at) AS gap
    FROM incidents WHERE service LIKE %(pattern)s
) AS opened
WHERE gap < make_interval(secs => %(window)s - 1)
"""

CEILING_STORED = "SELECT count(*) FROM ceiling_alerts WHERE service LIKE %(pattern)s"


def accepted(answers):
    """{alert_id: incident_id or None} promised by 2xx answers (single alerts or a batch's `alerts`)."""
    promised = {}
    for status, body in answers:
        if not 200 <= status < 300:
            continue
        decoded = json.loads(body)
        for item in decoded.get("alerts", [decoded]) if isinstance(decoded, dict) else decoded:
            promised[item["alert_id"]] = item.get("incident_id")
    return promised


def check_ours(dsn, prefix, answers, socket_errors, synchronous=True, timeout=60):
    """Returns (accepted-to-attached p99 in ms or None, list of broken guarantees).

    On a synchronous path a 202 (stored, correlation pending) means incident management fell behind.
    """
    problems = _status_problems(answers, socket_errors, synchronous)
    promised = accepted(answers)
    params = {"pattern": f"{prefix}-svc%", "ids": list(promised), "window": WINDOW_SECONDS}
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        deadline = time.monotonic() + timeout
        while True:
            cur.execute(ATTACHED, params)
            stored, attached, p99 = cur.fetchone()
            conn.rollback()
            if stored == attached or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        if stored != attached:
            problems.append(f"{stored - attached} of {stored} stored alerts not attached after {timeout}s")
        cur.execute(ATTACHMENTS, params)
        actual = dict(cur.fetchall())
        missing = sum(alert_id not in actual for alert_id in promised)
        if missing:
            problems.append(f"{missing} accepted alerts not attached")
        wrong = sum(1 for alert_id, named in promised.items() if named and actual.get(alert_id) not in (None, named))
        if wrong:
            problems.append(f"{wrong} answers named another incident than the one the alert is in")
        cur.execute(DOUBLED_KEYS, params)
        doubled = cur.fetchone()[0]
        if doubled:
            problems.append(f"{doubled} incidents opened within the correlation window of their key's last one")
    conn.close()
    return (p99 * 1000 if p99 is not None else None), problems


def check_ceiling(dsn, prefix, answers, socket_errors):
    problems = _status_problems(answers, socket_errors)
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(CEILING_STORED, {"pattern": f"{prefix}-svc%"})
        stored = cur.fetchone()[0]
    conn.close()
    if stored < len(accepted(answers)):
        problems.append(f"only {stored} of {len(accepted(answers))} accepted alerts stored")
    return None, problems


def _status_problems(answers, socket_errors, synchronous=True):
    problems = []
    statuses = {}
    for status, _ in answers:
        statuses[status] = statuses.get(status, 0) + 1
    bad = {status: n for status, n in statuses.items() if not 200 <= status < 300}
    if bad:
        problems.append("non-2xx answers: " + ", ".join(f"{n}x{status}" for status, n in sorted(bad.items())))
    if synchronous and statuses.get(202):
        problems.append(f"{statuses[202]} answers 202 (pending): incident management did not answer in time")
    if socket_errors:
        problems.append(f"{socket_errors} socket errors")
    return problems
