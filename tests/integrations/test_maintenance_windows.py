"""Maintenance windows: alerts in one are stored as suppressed, open no incident and page nobody."""

import datetime as dt
import zoneinfo

import pytest

from alert_ingestion.maintenance import windows
from tests.waiting import wait_for

WINDOWS = "/api/v1/maintenance-windows"
ALERT = {"service": "payments-db", "severity": "critical", "message": "replication lag 30s"}
UTC = dt.UTC
T0 = dt.datetime(2026, 12, 1, 22, 0, tzinfo=UTC)  # a Tuesday, 22:00


def window(recurrence="none", hours=2, until=None, service="payments-db", team=None):
    return {
        "starts_at": T0,
        "ends_at": T0 + dt.timedelta(hours=hours),
        "recurrence": recurrence,
        "repeat_until": until,
        "service": service,
        "team": team,
    }


@pytest.mark.parametrize(
    ("rule", "moment", "on"),
    [
        (window(), T0 - dt.timedelta(seconds=1), False),
        (window(), T0, True),
        (window(), T0 + dt.timedelta(hours=2) - dt.timedelta(seconds=1), True),
        (window(), T0 + dt.timedelta(hours=2), False),
        (window("daily"), T0 + dt.timedelta(days=3, hours=1), True),
        (window("daily"), T0 + dt.timedelta(days=3, hours=3), False),
        (window("weekly"), T0 + dt.timedelta(days=7, minutes=5), True),
        (window("weekly"), T0 + dt.timedelta(days=1, minutes=5), False),
        (window("daily", until=T0 + dt.timedelta(days=2)), T0 + dt.timedelta(days=1, hours=1), True),
        (window("daily", until=T0 + dt.timedelta(days=2)), T0 + dt.timedelta(days=2, hours=1), False),
    ],
)
def test_when_a_window_is_on(rule, moment, on):
    assert windows.is_on(rule, moment) is on


def test_the_next_occurrence_of_a_recurring_window():
    rule = window("daily")
    later = T0 + dt.timedelta(days=5, hours=10)
    assert windows.occurrence(rule, later) == (T0 + dt.timedelta(days=6), T0 + dt.timedelta(days=6, hours=2))
    assert windows.occurrence(window(), later) is None


BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def berlin(*args):
    return dt.datetime(*args, tzinfo=BERLIN).astimezone(UTC)


@pytest.mark.parametrize(
    ("recurrence", "moment", "expected"),
    [
        # Sunday 2026-10-18 02:00-04:00 CEST (UTC+2); summer time ends on 2026-10-25.
        ("weekly", berlin(2026, 10, 20, 12), (berlin(2026, 10, 25, 2), berlin(2026, 10, 25, 4))),
        ("weekly", berlin(2026, 11, 1, 2, 30), (berlin(2026, 11, 1, 2), berlin(2026, 11, 1, 4))),
        ("weekly", berlin(2027, 4, 1), (berlin(2027, 4, 4, 2), berlin(2027, 4, 4, 4))),
        ("daily", berlin(2026, 10, 30, 3, 59), (berlin(2026, 10, 30, 2), berlin(2026, 10, 30, 4))),
        ("daily", berlin(2026, 10, 30, 4), (berlin(2026, 10, 31, 2), berlin(2026, 10, 31, 4))),
    ],
)
def test_a_recurring_window_keeps_its_wall_clock_time_across_daylight_saving(recurrence, moment, expected):
    rule = {
        "starts_at": berlin(2026, 10, 18, 2),
        "ends_at": berlin(2026, 10, 18, 4),
        "recurrence": recurrence,
        "time_zone": "Europe/Berlin",
        "repeat_until": None,
    }
    assert windows.occurrence(rule, moment) == expected
    # After the change the same window is an hour later in UTC than it would be repeated in UTC.
    assert windows.occurrence({**rule, "time_zone": "UTC"}, berlin(2026, 11, 1, 0))[0] == berlin(2026, 11, 1, 1)


@pytest.mark.parametrize(
    ("service", "team", "alert_service", "alert_team", "covered"),
    [
        ("db", None, "db", None, True),
        ("db", None, "web", None, False),
        (None, "storage", "anything", "storage", True),
        (None, "storage", "anything", None, False),
        ("db", "storage", "db", "storage", True),
        ("db", "storage", "db", "web", False),
    ],
)
def test_which_alerts_a_window_covers(service, team, alert_service, alert_team, covered):
    assert windows.covers({"service": service, "team": team}, alert_service, alert_team) is covered


def now_window(ingestion, **fields):
    now = dt.datetime.now(UTC)
    body = {
        "name": "Database upgrade",
        "service": "payments-db",
        "starts_at": (now - dt.timedelta(minutes=5)).isoformat(),
        "ends_at": (now + dt.timedelta(hours=1)).isoformat(),
        **fields,
    }
    response = ingestion.post(WINDOWS, json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_an_alert_in_a_window_is_stored_suppressed_with_no_incident_and_counted(ingestion, incidents, sql):
    created = now_window(ingestion, reason="PostgreSQL 17 upgrade")
    assert (created["active"], created["recurrence"]) == (True, "none")
    response = ingestion.post("/api/v1/alerts", json={**ALERT, "dedup_key": "lag"})
    assert response.status_code == 202
    answer = response.json
    assert (answer["result"], answer["incident_id"]) == ("suppressed", None)
    assert "Database upgrade" in answer["message"]
    alert = ingestion.get(f"/api/v1/alerts/{answer['alert_id']}").json
    assert (alert["status"], alert["correlation"], alert["suppressed_by"]) == (
        "suppressed",
        "suppressed",
        created["id"],
    )
    assert ingestion.get("/api/v1/alerts?status=suppressed").json["total"] == 1
    assert sql("SELECT count(*) FROM alert_outbox") == [(0,)]
    assert incidents.get("/api/v1/incidents").json["total"] == 0
    assert 'alerts_suppressed_total{source="api"} 1.0' in ingestion.get("/metrics").get_data(as_text=True)

    # Other services are not covered; once the window ends, the same alert opens an incident as usual.
    assert ingestion.post("/api/v1/alerts", json={**ALERT, "service": "web"}).json["result"] == "new_incident"
    ended = ingestion.patch(f"{WINDOWS}/{created['id']}", json={"ends_at": dt.datetime.now(UTC).isoformat()})
    assert (ended.status_code, ended.json["active"]) == (200, False)
    after = ingestion.post("/api/v1/alerts", json={**ALERT, "dedup_key": "lag"}).json
    assert (after["result"], after["duplicate"]) == ("new_incident", False)


def test_a_window_planned_in_one_worker_applies_in_every_other_at_once(make_ingestion):
    # Two ingestion workers (or replicas) whose timed re-read is an hour away: only the notice can tell.
    planner, other = (make_ingestion(MAINTENANCE_CACHE_SECONDS=3600) for _ in range(2))
    assert other.post("/api/v1/alerts", json=ALERT).json["result"] == "new_incident"  # other's cache is filled
    created = now_window(planner)
    suppressed = lambda: other.post("/api/v1/alerts", json=ALERT).json["result"] == "suppressed"  # noqa: E731
    wait_for(suppressed, 2, "the other worker to suppress", interval=0.05)

    planner.patch(f"{WINDOWS}/{created['id']}", json={"ends_at": dt.datetime.now(UTC).isoformat()})
    wait_for(lambda: not suppressed(), 2, "the other worker to stop suppressing", interval=0.05)


def test_a_team_window_suppresses_the_teams_alerts_from_every_source(ingestion, payload):
    now_window(ingestion, service=None, team="blue")
    answer = ingestion.post("/api/v1/alerts/grafana", json=payload("grafana_firing")).json
    # The memory alert has team=blue; the checkout alert has no team label.
    assert [outcome["result"] for outcome in answer["alerts"]] == ["new_incident", "suppressed"]


def test_a_daily_window_recurs(ingestion):
    now = dt.datetime.now(UTC)
    created = now_window(
        ingestion,
        recurrence="daily",
        starts_at=(now - dt.timedelta(days=3, minutes=1)).isoformat(),
        ends_at=(now - dt.timedelta(days=3) + dt.timedelta(minutes=30)).isoformat(),
    )
    assert created["active"] is True
    assert ingestion.post("/api/v1/alerts", json=ALERT).json["result"] == "suppressed"


def test_a_window_keeps_its_time_zone_and_refuses_an_unknown_one(ingestion):
    created = now_window(ingestion, recurrence="weekly", time_zone="America/New_York")
    assert created["time_zone"] == "America/New_York"
    assert now_window(ingestion)["time_zone"] == "UTC", "the default"
    changed = ingestion.patch(f"{WINDOWS}/{created['id']}", json={"time_zone": "Asia/Tokyo"})
    assert changed.json["time_zone"] == "Asia/Tokyo"
    bad = ingestion.patch(f"{WINDOWS}/{created['id']}", json={"time_zone": "Mars/Olympus"})
    assert bad.status_code == 422 and "Unknown time zone" in bad.json["errors"]["json"]["time_zone"][0]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"service": None}, "service"),
        ({"ends_at": "2026-01-01T00:00:00Z"}, "ends_at"),
        ({"recurrence": "hourly"}, "recurrence"),
        ({"recurrence": "daily", "ends_at": "2099-01-01T00:00:00Z"}, "ends_at"),
        ({"name": ""}, "name"),
        ({"starts_at": "soon"}, "starts_at"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
    ],
)
def test_bad_windows_are_422_naming_the_field(ingestion, fields, field, sql):
    body = {"name": "w", "service": "db", "starts_at": "2026-12-05T22:00:00Z", "ends_at": "2026-12-06T01:00:00Z"}
    response = ingestion.post(WINDOWS, json={**body, **fields})
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]
    assert sql("SELECT count(*) FROM maintenance_windows") == [(0,)]


def test_a_change_that_breaks_the_window_is_422_and_unknown_windows_404(ingestion):
    created = now_window(ingestion)
    broken = ingestion.patch(f"{WINDOWS}/{created['id']}", json={"ends_at": "2000-01-01T00:00:00Z"})
    assert (broken.status_code, list(broken.json["errors"]["json"])) == (422, ["ends_at"])
    unknown = "00000000-0000-4000-8000-000000000000"
    assert ingestion.get(f"{WINDOWS}/{unknown}").status_code == 404
    assert ingestion.patch(f"{WINDOWS}/{unknown}", json={"name": "x"}).status_code == 404
    assert ingestion.delete(f"{WINDOWS}/{created['id']}").status_code == 204
    assert ingestion.delete(f"{WINDOWS}/{created['id']}").status_code == 404
    assert ingestion.post("/api/v1/alerts", json=ALERT).json["result"] == "new_incident"
