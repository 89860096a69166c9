"""Escalation as due work in incident management: the policy's state beside the incident, steps claimed when due.

The on-call service only answers whom each step reaches; the tests drive the due
escalations (incident_management.paging.due.run_due) the way each worker's thread does.
"""

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time

from tests.conftest import ROOT


def metric(escalation, sample):
    for line in escalation.im.get("/metrics").text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_a_paged_incident_waits_at_the_first_step_with_its_due_time(escalation, sql):
    escalation.schedule()
    incident = escalation.open()
    [assigned] = escalation.events(incident["id"], "assigned")
    assert assigned["detail"]["policy"] == "payments default"
    assert assigned["detail"]["step"] == "the primary on call for payments"
    assert escalation.detail(incident["id"])["assigned_to"] == "Alice"
    [(waited,)] = sql(
        "SELECT EXTRACT(EPOCH FROM s.next_escalation_at - i.created_at) FROM escalation_state s "
        "JOIN incidents i ON i.id = s.incident_id WHERE i.id = %s",
        (incident["id"],),
    )
    assert 60 <= waited < 70  # the schedule's escalation_timeout_seconds
    assert escalation.run_due() == 0  # not due yet
    assert escalation.pages(incident["id"]) == ["alice@example.com"]


def test_a_due_step_escalates_to_the_secondary_once(escalation):
    escalation.schedule()
    incident = escalation.open()
    assert metric(escalation, 'escalations_total{team="payments"}') == 0  # known team, exported at zero
    escalation.make_due(incident["id"])
    assert escalation.run_due() == 1
    assert escalation.run_due() == 0  # at the last step now: nothing further is due
    [event] = escalation.events(incident["id"], "escalated")
    assert (event["actor"], event["detail"]["trigger"]) == ("escalation", "timeout")
    assert event["detail"]["reason"] == "not acknowledged within 60s"
    assert event["detail"]["step"] == "the secondary on call for payments"
    after = escalation.detail(incident["id"])
    assert (after["assigned_to"], after["escalation_level"]) == ("Sam", 1)
    assert escalation.state(incident["id"]) == (1, 0, False, True)
    shown = after["escalation"]  # what the incident page shows (and why Escalate is off there)
    assert (shown["policy"], shown["step_label"], shown["final"], shown["next_escalation_at"]) == (
        "payments default",
        "the secondary on call for payments",
        True,
        None,
    )
    assert escalation.pages(incident["id"]) == ["alice@example.com", "sam@example.com"]
    assert metric(escalation, 'escalations_total{team="payments"}') == 1
    log = escalation.im.get(f"/api/v1/escalations?incident_id={incident['id']}").json
    assert [(e["level"], e["trigger"], e["assigned_to"]["name"]) for e in log["items"]] == [(1, "timeout", "Sam")]


def test_acknowledging_stops_the_escalation(escalation):
    escalation.schedule()
    incident = escalation.open()
    escalation.im.patch(f"/api/v1/incidents/{incident['id']}", json={"status": "acknowledged"})
    escalation.make_due(incident["id"])
    assert escalation.run_due() == 0
    assert escalation.events(incident["id"], "escalated") == []
    assert escalation.state(incident["id"]) == (0, 0, False, False)  # nothing due any more


def test_each_teams_policy_keeps_its_own_timing(escalation, sql):
    escalation.schedule()
    escalation.schedule(team="search", escalation_timeout_seconds=10)
    slow, fast = escalation.open(), escalation.open(team="search", service="search")
    sql("UPDATE escalation_state SET next_escalation_at = next_escalation_at - interval '30 seconds'")
    assert escalation.run_due() == 1
    assert escalation.events(fast["id"], "escalated") and not escalation.events(slow["id"], "escalated")


def test_a_step_that_reaches_nobody_passes_on_and_says_so(escalation):
    escalation.schedule(members=[{"name": "Alice", "email": "alice@example.com", "role": "primary"}])
    incident = escalation.open()
    escalation.make_due(incident["id"])
    assert escalation.run_due() == 0
    [skipped] = escalation.events(incident["id"], "step_skipped")
    assert skipped["detail"]["step"] == "the secondary on call for payments"
    assert "passed on" in skipped["detail"]["reason"]
    after = escalation.detail(incident["id"])
    assert (after["assigned_to"], after["unpaged"]) == ("Alice", False)  # Alice was paged: not silent
    assert escalation.state(incident["id"]) == (0, 0, False, True)


def test_a_policy_that_reaches_nobody_marks_the_incident_unpaged(escalation, sql):
    escalation.schedule()
    sql("UPDATE escalation_policy_steps SET targets = '[]'::jsonb")  # a policy whose steps target nobody
    incident = escalation.open()
    after = escalation.detail(incident["id"])
    assert (after["assigned_to"], after["unpaged"]) == (None, True)
    assert [e["event_type"] for e in after["timeline"]] == ["created", "step_skipped", "step_skipped", "unpaged"]
    assert "ran out without reaching anyone" in after["timeline"][-1]["detail"]["reason"]
    assert metric(escalation, "incidents_unpaged") == 1
    assert escalation.pages(incident["id"]) == []


def test_the_on_call_service_down_at_the_due_time_retries_later(escalation, sql):
    escalation.schedule()
    incident = escalation.open()
    escalation.make_due(incident["id"])
    escalation.im_app.extensions["incident_management.paging"]["oncall"].base_url = "http://127.0.0.1:9"
    assert escalation.run_due() == 0
    [(attempts, error, later)] = sql(
        "SELECT attempts, last_error, next_escalation_at > now() FROM escalation_state WHERE incident_id = %s",
        (incident["id"],),
    )
    assert (attempts, "on-call service unreachable" in error, later) == (1, True, True)
    escalation.im_app.extensions["incident_management.paging"]["oncall"].base_url = escalation.oncall_url
    escalation.make_due(incident["id"])
    assert escalation.run_due() == 1


REPLICA = textwrap.dedent(
    """
    import sys, threading, time
    from incident_management import create_app
    from incident_management.paging import due
    app = create_app({"DATABASE_URL": sys.argv[1], "ONCALL_SERVICE_URL": sys.argv[2], "BACKGROUND_JOBS": False})
    start, end = float(sys.argv[3]), float(sys.argv[4])
    moved = [0] * 4

    def worker(n):
        while time.time() < start:
            time.sleep(0.005)
        while time.time() < end:
            moved[n] += due.run_due(app)
            time.sleep(0.02)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(sum(moved))
    """
)


def test_two_replicas_of_four_workers_escalate_each_step_exactly_once(escalation, db_url, sql):
    """Every incident walks primary, secondary, and twice again (repeat 2): five escalations, each once."""
    escalation.schedule(escalation_timeout_seconds=1)
    sql("UPDATE escalation_policies SET repeat = 2")
    incidents = [escalation.open(page=False, service=f"svc-{n}") for n in range(20)]
    escalation.page()
    start = time.time() + 4  # both replicas import, then start together
    replicas = [
        subprocess.Popen(
            [sys.executable, "-c", REPLICA, db_url, escalation.oncall_url, str(start), str(start + 15)],
            cwd=ROOT,
            env={**os.environ},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [replica.communicate(timeout=90) for replica in replicas]
    assert [replica.returncode for replica in replicas] == [0, 0], [err[-2000:] for _, err in outputs]
    moved = [int(out.strip()) for out, _ in outputs]
    print("escalations per replica:", moved)
    assert sum(moved) == 5 * len(incidents)
    for incident in incidents:
        levels = [e["detail"]["level"] for e in escalation.events(incident["id"], "escalated")]
        assert levels == [1, 2, 3, 4, 5]
        assert escalation.state(incident["id"]) == (1, 2, False, True)
    assert sql("SELECT count(*), count(DISTINCT (incident_id, level)) FROM incident_escalations") == [(100, 100)]
    assert all(count > 0 for count in moved)  # both replicas took part


def test_due_times_follow_the_policy(escalation, sql):
    escalation.schedule(escalation_timeout_seconds=120)
    incident = escalation.open()
    [(due_at, created_at)] = sql(
        "SELECT s.next_escalation_at, i.created_at FROM escalation_state s JOIN incidents i ON i.id = s.incident_id "
        "WHERE i.id = %s",
        (incident["id"],),
    )
    assert dt.timedelta(seconds=120) <= due_at - created_at < dt.timedelta(seconds=130)
