"""Incident management's HTTP API on a real database (Flask test client)."""

import uuid

import pytest

import incident_management


@pytest.fixture
def app(make_app):
    return make_app(incident_management.create_app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_incident(client):
    def make(**overrides):
        body = {"title": "Checkout failing", "service": "checkout", "severity": "high", **overrides}
        response = client.post("/api/v1/incidents", json=body)
        assert response.status_code == 201, response.json
        return response.json

    return make


@pytest.fixture
def store_alert(sql):
    """Store an alert the way ingestion does and return its id."""

    def store(service="checkout", severity="high", message="5xx above 2%"):
        rows = sql(
            "INSERT INTO alerts (service, severity, message, occurred_at) VALUES (%s, %s, %s, now()) RETURNING id",
            (service, severity, message),
        )
        return str(rows[0][0])

    return store


def attach(client, alert_id, service="checkout", severity="high", message="5xx above 2%", **extra):
    body = {"alert_id": alert_id, "service": service, "severity": severity, "message": message, **extra}
    return client.post("/api/v1/incidents/alerts", json=body)


def test_create_incident(make_incident):
    incident = make_incident(team="payments", description="card payments fail")
    assert incident["status"] == "open"
    assert incident["team"] == "payments"
    assert incident["allowed_transitions"] == ["acknowledged", "in_progress", "resolved"]
    assert incident["mtta_seconds"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"service": "a", "severity": "high"}, "title"),
        ({"title": "t", "severity": "high"}, "service"),
        ({"title": "t", "service": "a", "severity": "urgent"}, "severity"),
        ({"title": "t", "service": "a", "severity": "high", "assigned_email": "not-an-email"}, "assigned_email"),
        ({"title": "", "service": "a", "severity": "high"}, "title"),
        ({"title": 3, "service": "a", "severity": "high"}, "title"),
    ],
)
def test_create_incident_names_the_bad_field(client, body, field):
    response = client.post("/api/v1/incidents", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_list_is_newest_first_filtered_and_paginated(client, make_incident):
    made = [make_incident(title=f"incident {i}", service="db" if i % 2 else "web") for i in range(5)]
    page = client.get("/api/v1/incidents?page_size=2").json
    assert page["total"] == 5
    assert [i["id"] for i in page["items"]] == [made[4]["id"], made[3]["id"]]
    page3 = client.get("/api/v1/incidents?page_size=2&page=3").json
    assert [i["id"] for i in page3["items"]] == [made[0]["id"]]
    db_only = client.get("/api/v1/incidents?service=db").json
    assert {i["service"] for i in db_only["items"]} == {"db"}
    assert db_only["total"] == 2


def test_list_filters_by_several_statuses_and_severity(client, make_incident):
    first = make_incident(severity="critical")
    second = make_incident(severity="critical")
    make_incident(severity="low")
    client.patch(f"/api/v1/incidents/{first['id']}", json={"status": "resolved"})
    client.patch(f"/api/v1/incidents/{second['id']}", json={"status": "acknowledged"})
    listed = client.get("/api/v1/incidents?status=open,acknowledged&severity=critical").json
    assert [i["id"] for i in listed["items"]] == [second["id"]]


def test_list_rejects_unknown_filters_values(client):
    response = client.get("/api/v1/incidents?status=closed&page_size=1000")
    assert response.status_code == 422
    assert set(response.json["errors"]["query"]) == {"status", "page_size"}


def test_lifecycle_stamps_mtta_and_mttr(client, make_incident):
    incident = make_incident()
    url = f"/api/v1/incidents/{incident['id']}"
    acked = client.patch(url, json={"status": "acknowledged", "actor": "alice"}).json
    assert acked["status"] == "acknowledged"
    assert acked["mtta_seconds"] >= 0
    assert acked["allowed_transitions"] == ["in_progress", "resolved"]
    working = client.patch(url, json={"status": "in_progress", "actor": "alice"}).json
    assert working["in_progress_at"] is not None
    resolved = client.patch(url, json={"status": "resolved", "actor": "bob"}).json
    assert resolved["mttr_seconds"] >= resolved["mtta_seconds"]
    assert resolved["resolved_by"] == "bob"

    metrics = client.get(f"{url}/metrics").json
    assert metrics == {
        "incident_id": incident["id"],
        "status": "resolved",
        "created_at": resolved["created_at"],
        "acknowledged_at": resolved["acknowledged_at"],
        "resolved_at": resolved["resolved_at"],
        "mtta_seconds": resolved["mtta_seconds"],
        "mttr_seconds": resolved["mttr_seconds"],
    }
    events = [(e["event_type"], e["actor"]) for e in client.get(url).json["timeline"]]
    assert events == [("created", "api"), ("acknowledged", "alice"), ("in_progress", "alice"), ("resolved", "bob")]


def test_backwards_is_409_with_a_reason_and_changes_nothing(client, make_incident):
    incident = make_incident()
    url = f"/api/v1/incidents/{incident['id']}"
    client.patch(url, json={"status": "resolved"})
    response = client.patch(url, json={"status": "acknowledged", "note": {"author": "a", "content": "undo"}})
    assert response.status_code == 409
    assert "back to acknowledged" in response.json["message"]
    detail = client.get(url).json
    assert detail["status"] == "resolved"
    assert detail["notes"] == []  # the note of a refused change is not half-written


def test_same_status_again_changes_nothing(client, make_incident):
    incident = make_incident()
    url = f"/api/v1/incidents/{incident['id']}"
    first = client.patch(url, json={"status": "acknowledged"}).json
    again = client.patch(url, json={"status": "acknowledged"}).json
    assert again["acknowledged_at"] == first["acknowledged_at"]
    assert [e["event_type"] for e in client.get(url).json["timeline"]].count("acknowledged") == 1


def test_patch_assigns_and_adds_a_note(client, make_incident):
    incident = make_incident()
    url = f"/api/v1/incidents/{incident['id']}"
    body = {"assigned_to": "Carol", "assigned_email": "carol@example.com", "note": {"author": "dan", "content": "hi"}}
    updated = client.patch(url, json=body).json
    assert (updated["assigned_to"], updated["assigned_email"]) == ("Carol", "carol@example.com")
    detail = client.get(url).json
    assert [(n["author"], n["content"]) for n in detail["notes"]] == [("dan", "hi")]
    assert [e["event_type"] for e in detail["timeline"]] == ["created", "assigned", "note_added"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "_schema"),
        ({"status": "closed"}, "status"),
        ({"note": {"author": "a"}}, "note"),
        ({"assigned_to": ""}, "assigned_to"),
    ],
)
def test_patch_names_the_bad_field(client, make_incident, body, field):
    incident = make_incident()
    response = client.patch(f"/api/v1/incidents/{incident['id']}", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_notes_endpoint(client, make_incident):
    incident = make_incident()
    url = f"/api/v1/incidents/{incident['id']}/notes"
    created = client.post(url, json={"author": "erin", "content": "looking"})
    assert created.status_code == 201
    assert client.get(url).json == [created.json]
    assert client.post(url, json={"author": "erin"}).status_code == 422


@pytest.mark.parametrize("path", ["", "/metrics", "/notes"])
def test_unknown_and_malformed_ids(client, path):
    unknown = client.get(f"/api/v1/incidents/{uuid.uuid4()}{path}")
    assert unknown.status_code == 404
    assert unknown.json["status"] == "Not Found"
    malformed = client.get(f"/api/v1/incidents/not-a-uuid{path}")
    assert malformed.status_code == 400
    assert malformed.json["errors"] == {"incident_id": ["Not a valid UUID."]}


def test_attach_opens_then_joins_and_is_idempotent(client, store_alert):
    first, second = store_alert(), store_alert()
    opened = attach(client, first, labels={"team": "payments"}).json
    assert opened["result"] == "new_incident"
    joined = attach(client, second).json
    assert joined == {"alert_id": second, "incident_id": opened["incident_id"], "result": "existing_incident"}
    assert attach(client, first).json == opened  # a repeated delivery answers the same

    detail = client.get(f"/api/v1/incidents/{opened['incident_id']}").json
    assert detail["alert_count"] == 2
    assert detail["team"] == "payments"
    assert detail["title"] == "checkout: 5xx above 2%"
    assert {a["id"] for a in detail["alerts"]} == {first, second}
    assert [e["event_type"] for e in detail["timeline"]] == ["created", "alert_attached", "alert_attached"]


def test_attach_keeps_services_and_severities_apart(client, store_alert):
    results = [
        attach(client, store_alert(service=s, severity=v), service=s, severity=v).json
        for s, v in [("a", "high"), ("a", "low"), ("b", "high")]
    ]
    assert len({r["incident_id"] for r in results}) == 3


def test_attach_after_resolution_or_window_opens_a_new_incident(make_app, store_alert, sql):
    client = make_app(incident_management.create_app, CORRELATION_WINDOW_SECONDS=60.0).test_client()
    first = attach(client, store_alert()).json
    client.patch(f"/api/v1/incidents/{first['incident_id']}", json={"status": "resolved"})
    second = attach(client, store_alert()).json
    assert second["result"] == "new_incident"
    sql("UPDATE incidents SET created_at = now() - interval '61 seconds' WHERE id = %s", (second["incident_id"],))
    third = attach(client, store_alert()).json
    assert third["result"] == "new_incident"
    assert len({first["incident_id"], second["incident_id"], third["incident_id"]}) == 3


def test_an_alert_is_attached_from_the_copy_it_is_given(client, sql):
    """Alert ingestion's alerts are its own: incident management keeps what the request tells it."""
    alert_id = str(uuid.uuid4())
    response = attach(
        client, alert_id, labels={"pod": "web-1"}, source="alertmanager", timestamp="2026-11-27T09:00:00Z"
    )
    assert response.status_code == 200
    assert sql("SELECT count(*) FROM alerts") == [(0,)]
    alerts = client.get(f"/api/v1/incidents/{response.json['incident_id']}").json["alerts"]
    assert [(a["id"], a["message"], a["labels"], a["source"], a["status"]) for a in alerts] == [
        (alert_id, "5xx above 2%", {"pod": "web-1"}, "alertmanager", "firing")
    ]
    assert alerts[0]["timestamp"] == "2026-11-27T09:00:00+00:00"


def test_stats_counts_means_and_series(client, make_incident):
    made = [make_incident(service=service) for service in ("web", "web", "db", "db", "db")]
    client.patch(f"/api/v1/incidents/{made[0]['id']}", json={"status": "acknowledged"})
    client.patch(f"/api/v1/incidents/{made[1]['id']}", json={"status": "resolved"})
    client.patch(f"/api/v1/incidents/{made[2]['id']}", json={"status": "in_progress"})

    stats = client.get("/api/v1/incidents/stats?bucket=hour").json
    assert stats["counts"] == {"open": 2, "acknowledged": 1, "in_progress": 1, "resolved": 1}
    assert stats["total"] == 5
    assert stats["mtta_seconds_avg"] >= 0
    assert stats["mttr_seconds_avg"] >= 0
    assert [(s["service"], s["incidents"]) for s in stats["by_service"]] == [("db", 3), ("web", 2)]
    assert sum(point["incidents"] for point in stats["series"]) == 5
    assert len(stats["series"]) in (168, 169)  # 7 days of hours, empty ones included

    only_web = client.get("/api/v1/incidents/stats?service=web").json
    assert only_web["total"] == 2


def test_stats_range_excludes_older_incidents(client, make_incident, sql):
    old = make_incident()
    make_incident()
    sql("UPDATE incidents SET created_at = now() - interval '3 days' WHERE id = %s", (old["id"],))
    stats = client.get("/api/v1/incidents/stats", query_string={"since": "2000-01-01T00:00:00Z"}).json
    assert stats["total"] == 2
    assert len(stats["series"]) == 1000  # a long range keeps the newest 1000 buckets
    recent = client.get("/api/v1/incidents/stats", query_string={"since": _hours_ago(24)}).json
    assert recent["total"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "2030-01-01T00:00:00Z", "until": "2029-01-01T00:00:00Z"}, "since"),
        ({"bucket": "week"}, "bucket"),
        ({"since": "yesterday"}, "since"),
    ],
)
def test_stats_rejects_bad_ranges(client, query, field):
    response = client.get("/api/v1/incidents/stats", query_string=query)
    assert response.status_code == 422
    assert field in response.json["errors"]["query"]


def _hours_ago(hours):
    import datetime as dt

    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)).isoformat()


def test_team_filter_ignores_case(client, make_incident):
    incident = make_incident(team="Payments")
    make_incident(team="search")
    listed = client.get("/api/v1/incidents?team=payments").json
    assert [i["id"] for i in listed["items"]] == [incident["id"]]
