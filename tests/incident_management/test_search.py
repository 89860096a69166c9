"""Finding incidents: the active list most urgent first at any volume, filters, sorting, real totals."""

import uuid

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


@pytest.fixture
def attach_alert(client):
    """An alert as ingestion hands it over: it opens or joins the incident of its service and severity."""

    def attach(service, severity, message):
        body = {"alert_id": str(uuid.uuid4()), "service": service, "severity": severity, "message": message}
        response = client.post("/api/v1/incidents/alerts", json=body)
        assert response.status_code == 200, response.json
        return response.json["incident_id"]

    return attach


def search(client, query, **filters):
    return client.get("/api/v1/incidents", query_string={"q": query, **filters}).json


def test_search_finds_titles_alert_messages_and_notes_stemmed(client, make_incident, attach_alert):
    titled = make_incident("high", service="checkout", title="Checkout payments failing")
    by_alert = attach_alert("inventory", "medium", "replication lag above 30s on the orders replica")
    noted = make_incident("low", service="search")
    client.post(f"/api/v1/incidents/{noted['id']}/notes", json={"author": "ann", "content": "Rotated the TLS cert"})
    make_incident("low", service="unrelated", title="Nothing to see")

    assert ids(search(client, "payment failed")) == [titled["id"]]
    assert ids(search(client, "replica lag")) == [by_alert]
    assert ids(search(client, "rotating certs")) == [noted["id"]]
    assert ids(search(client, '"orders replica"')) == [by_alert]
    assert ids(search(client, "inventory")) == [by_alert], "the service name is searched too"
    assert search(client, "payments -checkout")["total"] == 0
    assert set(ids(search(client, "payments OR replica"))) == {titled["id"], by_alert}


def test_search_with_filters_sorting_and_totals(client, make_incident, attach_alert):
    first = make_incident("critical", service="db", title="db disk full", team="storage", assigned_to="ann")
    second = make_incident("low", service="db", title="db disk almost full", team="Storage", assigned_to="bob")
    make_incident("low", service="web", title="web disk full")
    client.patch(f"/api/v1/incidents/{first['id']}", json={"status": "resolved"})

    everything = search(client, "disk", sort="oldest")
    assert everything["total"] == 3
    assert ids(everything)[:2] == [first["id"], second["id"]]
    assert ids(search(client, "disk", status="resolved")) == [first["id"]]
    assert ids(search(client, "disk", team="storage", sort="oldest")) == [first["id"], second["id"]]
    assert ids(search(client, "disk", assigned_to="bob")) == [second["id"]]
    found = search(client, "disk", service="db", severity="low")
    assert ids(found) == [second["id"]]
    assert found["severity_counts"] == {"critical": 1, "high": 0, "medium": 0, "low": 1}
    later = search(client, "disk", since=second["created_at"])
    assert first["id"] not in ids(later) and second["id"] in ids(later)
    earlier = search(client, "disk", until=second["created_at"])
    assert ids(earlier) == [first["id"]]


def test_a_query_of_only_operators_or_spaces_is_harmless(client, make_incident):
    make_incident()
    assert search(client, "   ")["total"] == 1, "blank is no query"
    for query in ("-", '"', "OR", "&|!():*"):
        response = client.get("/api/v1/incidents", query_string={"q": query})
        assert response.status_code == 200, (query, response.json)


def test_an_overlong_query_is_422_naming_it(client):
    response = client.get("/api/v1/incidents", query_string={"q": "x" * 501})
    assert response.status_code == 422
    assert set(response.json["errors"]["query"]) == {"q"}


def test_alert_and_note_words_are_matched_as_words_titles_as_phrases(client, make_incident, attach_alert):
    by_alert = attach_alert("inventory", "medium", "replication lag above 30s on the orders replica")
    titled = make_incident("low", service="web", title="Orders replica unreachable")

    assert set(ids(search(client, '"orders replica"'))) == {by_alert, titled["id"]}
    assert ids(search(client, '"replica orders"')) == [by_alert], "a title's phrase keeps its order"
    assert ids(search(client, '"replica orders" -lag')) == [], "a negated word still excludes"


def test_an_incident_holds_each_word_once_however_many_alerts_repeat_it(client, attach_alert, sql):
    incident_id = attach_alert("db", "high", "disk full on host7")
    for _ in range(5):
        assert attach_alert("db", "high", "disk full on host7") == incident_id
    attach_alert("db", "high", "replication stopped")

    (words,) = sql("SELECT alert_words::text FROM incidents WHERE id = %s", (incident_id,))[0]
    assert words == "'disk' 'full' 'host7' 'replic' 'stop'"


def test_an_alert_moved_to_another_incident_takes_its_words_along(client, make_incident, attach_alert, sql):
    source = attach_alert("db", "high", "disk full on db-1")
    attach_alert("db", "high", "replication stopped")
    target = make_incident("low", service="web")

    sql(
        "UPDATE incident_alerts SET incident_id = %s WHERE incident_id = %s AND message LIKE 'replication%%'",
        (target["id"], source),
    )
    assert ids(search(client, "replication")) == [target["id"]]
    assert ids(search(client, "disk")) == [source]


def test_long_numbers_and_decimals_are_not_kept_as_words(client, attach_alert, sql):
    incident_id = attach_alert("api", "high", "request 48213 failed with 503 after 12.5 s")
    attach_alert("api", "high", "request 99172 failed with 503 after 3.25 s")

    (words,) = sql("SELECT alert_words::text FROM incidents WHERE id = %s", (incident_id,))[0]
    assert words == "'503' 'fail' 'request'", "each alert's id and timing would rewrite the incident row"
    assert ids(search(client, "503")) == [incident_id]
