"""Links survive: what sources send (runbook, dashboard, the query that fired) is stored and on the incident."""

import pytest

from alert_ingestion import alertmanager, links

ALERT = {"service": "payments", "severity": "critical", "message": "p99 latency above 2s"}
RUNBOOK = {"href": "https://runbooks.example.com/payments", "text": "Runbook"}


def test_links_and_images_of_an_alert_are_stored_and_on_its_incident(ingestion, incidents):
    body = {
        **ALERT,
        "links": [RUNBOOK, {"href": "https://grafana.example.com/d/pay"}],
        "images": [{"src": "https://grafana.example.com/render/pay.png", "href": "https://grafana.example.com/d/pay"}],
    }
    accepted = ingestion.post("/api/v1/alerts", json=body).json
    alert = ingestion.get(f"/api/v1/alerts/{accepted['alert_id']}").json
    assert alert["links"] == [
        RUNBOOK,
        {"href": "https://grafana.example.com/d/pay", "text": "https://grafana.example.com/d/pay"},
    ]
    assert alert["images"] == body["images"]
    ingestion.post("/api/v1/alerts", json={**ALERT, "links": [RUNBOOK, {"href": "https://logs.example.com/q"}]})

    incident = incidents.get(f"/api/v1/incidents/{accepted['incident_id']}").json
    assert [link["href"] for link in incident["links"]] == [
        "https://runbooks.example.com/payments",
        "https://grafana.example.com/d/pay",
        "https://logs.example.com/q",
    ]
    assert [len(a["links"]) for a in incident["alerts"]] == [2, 2]  # newest first
    assert incident["alerts"][1]["images"] == body["images"]


def test_an_alert_without_links_has_empty_lists(ingestion, incidents):
    accepted = ingestion.post("/api/v1/alerts", json=ALERT).json
    assert ingestion.get(f"/api/v1/alerts/{accepted['alert_id']}").json["links"] == []
    assert incidents.get(f"/api/v1/incidents/{accepted['incident_id']}").json["links"] == []


@pytest.mark.parametrize(
    "bad",
    [
        {"links": [{"href": "javascript:alert(1)"}]},
        {"links": [{"href": "/relative/path"}]},
        {"links": [{"text": "no href"}]},
        {"links": "https://example.com"},
        {"links": [{"href": "https://example.com/" + "x" * 2048}]},
        {"links": [{"href": f"https://example.com/{n}"} for n in range(21)]},
        {"images": [{"src": "data:image/png;base64,AAAA"}]},
    ],
)
def test_bad_links_are_422_naming_the_field_and_store_nothing(ingestion, sql, bad):
    response = ingestion.post("/api/v1/alerts", json={**ALERT, **bad})
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == set(bad)
    assert sql("SELECT count(*) FROM alerts") == [(0,)]


def test_alertmanager_generator_url_and_url_annotations_become_links(ingestion, incidents):
    body = {
        "version": "4",
        "status": "firing",
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": "HighErrorRate", "service": "checkout", "severity": "critical"},
                "annotations": {
                    "summary": "Checkout 5xx above 5%",
                    "runbook_url": "https://runbooks.example.com/checkout-5xx",
                    "dashboard": "https://grafana.example.com/d/checkout",
                    "logs": "https://logs.example.com/?q=checkout",
                    "owner": "payments team",
                },
                "startsAt": "2026-11-27T09:02:45Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=up",
            }
        ],
    }
    outcome = ingestion.post("/api/v1/alerts/alertmanager", json=body).json["alerts"][0]
    incident = incidents.get(f"/api/v1/incidents/{outcome['incident_id']}").json
    assert incident["links"] == [
        {"href": "https://runbooks.example.com/checkout-5xx", "text": "runbook_url"},
        {"href": "https://grafana.example.com/d/checkout", "text": "dashboard"},
        {"href": "https://logs.example.com/?q=checkout", "text": "logs"},
        {"href": "http://prometheus.example.com:9090/graph?g0.expr=up", "text": "Source"},
    ]


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://example.com/a", True),
        ("http://10.0.0.1:3000/d/x?orgId=1", True),
        ("", False),
        (None, False),
        ("ftp://example.com/a", False),
        ("javascript:alert(1)", False),
        ("https://", False),
        ("see https://example.com", False),
        # "Space" as the documents' (JavaScript's) \s: a host may start with \x1e, which Python's \s takes.
        ("\t\nhttps://\x1eexample", True),
        ("https:// example.com", False),
        ("https://\u3000example.com", False),
        ("\x1chttps://example.com", False),
        ("\ufeff\u2008https://example.com", True),
    ],
)
def test_only_absolute_web_urls_are_links(value, kept):
    assert links.is_web_url(value) is kept
    assert (links.link(value, "x") is not None) is kept


def test_an_alertmanager_alert_without_generator_url_has_only_its_annotation_links():
    alert = {"labels": {"alertname": "A"}, "annotations": {"runbook": "https://r.example.com"}}
    assert alertmanager.links_of(alert) == [{"href": "https://r.example.com", "text": "runbook"}]
