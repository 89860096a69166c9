"""Urgency and routing when an incident opens: high pages and escalates, low notifies (within working hours)."""

import datetime as dt

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def test_low_urgency_notifies_the_first_step_and_never_escalates(escalation):
    escalation.schedule()
    incident = escalation.open(severity="medium")
    [assigned] = escalation.events(incident["id"], "assigned")
    assert assigned["detail"]["urgency"] == "low"
    assert escalation.state(incident["id"]) == (0, 0, False, False)  # nothing is due
    assert escalation.pages(incident["id"]) == ["alice@example.com"]


def test_a_service_maps_severities_its_own_way(escalation):
    escalation.schedule()
    escalation.oncall.post(
        "/api/v1/service-routes", json={"service": "checkout", "team": "payments", "urgency": {"medium": "high"}}
    )
    escalation.oncall.post(
        "/api/v1/service-routes", json={"service": "reports", "team": "payments", "urgency": {"critical": "low"}}
    )
    urgent = escalation.open(severity="medium")
    calm = escalation.open(severity="critical", service="reports")
    assert escalation.state(urgent["id"])[2] is True  # its next step is due
    assert escalation.state(calm["id"])[2] is False


def test_an_incident_without_a_team_follows_its_services_route(escalation):
    escalation.schedule()
    escalation.oncall.post("/api/v1/service-routes", json={"service": "checkout", "team": "payments"})
    incident = escalation.open(team=None)
    after = escalation.detail(incident["id"])
    assert (after["team"], after["assigned_to"], after["unpaged"]) == ("payments", "Alice", False)


def test_nobody_to_page_is_shown_as_unpaged(escalation):
    incident = escalation.open(team=None)
    after = escalation.detail(incident["id"])
    assert after["unpaged"] is True
    assert after["timeline"][-1]["event_type"] == "paging_failed"


def test_low_urgency_outside_working_hours_waits_for_them(escalation, sql):
    schedule = escalation.schedule()
    in_two_days = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)
    hours = {"timezone": "UTC", "days": [WEEKDAYS[in_two_days.weekday()]], "start": "09:00", "end": "17:00"}
    steps = [{"delay_seconds": 60, "targets": [{"type": "schedule", "schedule_id": schedule["id"]}]}]
    answer = escalation.oncall.post(
        "/api/v1/escalation-policies",
        json={"team": "payments", "name": "office", "is_default": True, "working_hours": hours, "steps": steps},
    )
    assert answer.status_code == 201, answer.json
    incident = escalation.open(severity="low")
    [(waits_until,)] = sql("SELECT next_attempt_at FROM paging_jobs WHERE incident_id = %s", (incident["id"],))
    assert waits_until == dt.datetime.combine(in_two_days, dt.time(9, 0), tzinfo=dt.UTC)
    assert escalation.pages(incident["id"]) == []  # not yet
    assert escalation.detail(incident["id"])["assigned_to"] == "Alice"  # assigned at once all the same

    critical = escalation.open(severity="critical", service="payments-api")  # high urgency ignores the hours
    assert escalation.pages(critical["id"]) == ["alice@example.com"]
