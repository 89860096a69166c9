"""The metrics the dashboards and rules read, as incident management exposes them from a real database."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

import alert_ingestion
import incident_management


def seed(sql, service, severity, status="open", age="1 minute", count=1):
    sql(
        """
        INSERT INTO incidents (title, service, severity, status, created_at, acknowledged_at, resolved_at)
        SELECT 't', %(service)s, %(severity)s, %(status)s, now() - %(age)s::interval,
               CASE WHEN %(status)s <> 'open' THEN now() END, CASE WHEN %(status)s = 'resolved' THEN now() END
        FROM generate_series(1, %(count)s)
        """,
        {"service": service, "severity": severity, "status": status, "age": age, "count": count},
    )


def scrape(app):
    """{metric family name: (type, {label tuple: value})} of one /metrics answer."""
    text = app.test_client().get("/metrics").get_data(as_text=True)
    families = {}
    for family in text_string_to_metric_families(text):
        samples = {tuple(sorted(s.labels.items())): s.value for s in family.samples if not s.name.endswith("_created")}
        families[family.name] = (family.type, samples)
    return families


@pytest.fixture
def metrics_of_incidents(make_app, sql):
    app = make_app(incident_management.create_app)
    return lambda: scrape(app)


def test_unresolved_incidents_by_severity_and_status(metrics_of_incidents, sql):
    seed(sql, "checkout", "critical", count=2)
    seed(sql, "checkout", "critical", status="acknowledged")
    seed(sql, "search", "low", status="resolved")
    kind, values = metrics_of_incidents()["incidents_unresolved"]
    assert kind == "gauge"
    assert len(values) == 12  # every severity and unresolved status, zeros included
    assert values[(("severity", "critical"), ("status", "open"))] == 2
    assert values[(("severity", "critical"), ("status", "acknowledged"))] == 1
    assert sum(values.values()) == 3


def test_oldest_unacknowledged_incident_by_severity(metrics_of_incidents, sql):
    seed(sql, "checkout", "critical", age="20 minutes")
    seed(sql, "checkout", "critical", age="2 minutes")
    seed(sql, "search", "high", status="acknowledged", age="1 hour")
    _kind, values = metrics_of_incidents()["incidents_unacknowledged_oldest_seconds"]
    assert values[(("severity", "critical"),)] == pytest.approx(1200, abs=5)
    assert values[(("severity", "high"),)] == 0
    assert len(values) == 4


def test_incidents_opened_is_a_counter_by_severity(metrics_of_incidents, sql):
    seed(sql, "checkout", "critical", count=3)
    seed(sql, "search", "medium", status="resolved")
    kind, values = metrics_of_incidents()["incidents_opened"]
    assert kind == "counter"
    assert values == {
        (("severity", "critical"),): 3,
        (("severity", "high"),): 0,
        (("severity", "medium"),): 1,
        (("severity", "low"),): 0,
    }


def test_noisy_services_of_the_last_day_are_bounded(metrics_of_incidents, sql):
    for index in range(25):
        seed(sql, f"service-{index:02d}", "low", count=index + 1)
    seed(sql, "long-ago", "low", age="2 days", count=100)
    _kind, values = metrics_of_incidents()["incidents_opened_last_24h"]
    assert len(values) == 20
    assert values[(("service", "service-24"),)] == 25
    assert (("service", "long-ago"),) not in values
    assert (("service", "service-04"),) not in values  # among the quietest five


def test_histograms_export_every_severity_before_any_observation(metrics_of_incidents):
    families = metrics_of_incidents()
    for histogram in ("incident_mtta_seconds", "incident_mttr_seconds"):
        kind, values = families[histogram]
        assert kind == "histogram"
        assert {dict(labels)["severity"] for labels in values} == {"critical", "high", "medium", "low"}


def test_alert_ingestion_counts_resolutions_by_source(make_app):
    families = scrape(make_app(alert_ingestion.create_app))
    kind, values = families["alerts_resolved"]
    assert kind == "counter"
    assert (("source", "alertmanager"),) in values
