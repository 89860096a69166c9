"""Finding incidents: the active list most urgent first at any volume, filters, sorting, real totals."""

import pytest

import incident_management

ACTIVE = "status=open,acknowledged,in_progress"


@pytest.fixture
def client(make_app):
    return make_app(incident_management.create_app).test_client()


@pytest.fixture
def make_incident(client):
    def make(severity="low", service="web", **overrides):
        body = {"title": f"{severity} on {service}", "service": service, "severity": severity, **overrides}
        response = client.post("/api/v1/incidents", json=body)
        assert response.status_code == 201, response.json
        return response.json

    return make


def ids(page):
    return [item["id"] for item in page["items"]]


def test_urgency_is_most_severe_first_then_newest(client, make_incident):
    old_low = make_incident("low")
    critical = make_incident("critical")
    medium = make_incident("medium")
    high = make_incident("high")
    new_low = make_incident("low")
    resolved = make_incident("critical")
    client.patch(f"/api/v1/incidents/{resolved['id']}", json={"status": "resolved"})

    page = client.get(f"/api/v1/incidents?{ACTIVE}&sort=urgency").json
    assert ids(page) == [critical["id"], high["id"], medium["id"], new_low["id"], old_low["id"]]
    assert page["total"] == 5


def test_a_storm_of_low_incidents_never_pushes_a_critical_off_the_first_page(client, make_incident):
    critical = make_incident("critical", service="payments")
    storm = [make_incident("low", service=f"svc-{n}") for n in range(60)]
    page = client.get(f"/api/v1/incidents?{ACTIVE}&sort=urgency&page_size=20").json
    assert ids(page)[0] == critical["id"]
    assert page["total"] == 61
    assert page["severity_counts"] == {"critical": 1, "high": 0, "medium": 0, "low": 60}
    newest = client.get(f"/api/v1/incidents?{ACTIVE}&page_size=20").json
    assert critical["id"] not in ids(newest), "newest first is what the storm would hide it in"
    assert ids(newest)[0] == storm[-1]["id"]


def test_pages_do_not_overlap_and_cover_everything(client, make_incident):
    made = {make_incident(severity)["id"] for severity in ("low", "high", "critical", "medium") * 3}
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"/api/v1/incidents?sort=urgency&page_size=5&page={number}").json
        assert page["total"] == 12
        seen += ids(page)
    assert len(seen) == len(set(seen)) == 12
    assert set(seen) == made


def test_a_page_past_the_end_keeps_the_real_total(client, make_incident):
    for _ in range(3):
        make_incident()
    page = client.get("/api/v1/incidents?page_size=2&page=9").json
    assert page["items"] == []
    assert page["total"] == 3


def test_severity_counts_ignore_the_severity_filter_but_follow_the_others(client, make_incident):
    make_incident("critical", service="db")
    make_incident("critical", service="web")
    make_incident("high", service="db")
    page = client.get("/api/v1/incidents?service=db&severity=high").json
    assert page["total"] == 1
    assert page["severity_counts"] == {"critical": 1, "high": 1, "medium": 0, "low": 0}


def test_several_severities_and_the_other_orders(client, make_incident):
    low = make_incident("low")
    critical = make_incident("critical")
    high = make_incident("high")
    assert ids(client.get("/api/v1/incidents?severity=critical,high").json) == [high["id"], critical["id"]]
    assert ids(client.get("/api/v1/incidents?sort=oldest").json) == [low["id"], critical["id"], high["id"]]
    client.patch(f"/api/v1/incidents/{low['id']}", json={"status": "acknowledged"})
    assert ids(client.get("/api/v1/incidents?sort=updated").json)[0] == low["id"]


def test_an_unknown_order_is_422_naming_it(client):
    response = client.get("/api/v1/incidents?sort=loudest")
    assert response.status_code == 422
    assert set(response.json["errors"]["query"]) == {"sort"}
