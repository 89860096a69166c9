"""Prometheus metrics: HTTP metrics per endpoint, the service's own metrics, gauges read at scrape time.

Under gunicorn every worker writes its samples to PROMETHEUS_MULTIPROC_DIR and
/metrics aggregates them, so any worker answers for the whole service. With METRICS_TOKEN set, /metrics
answers only scrapes that send it (servicekit.metrics_token).
"""

import logging
import os

from flask import Response, current_app
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_flask_exporter import PrometheusMetrics

from servicekit import db, metrics_token
from servicekit.auth import public

log = logging.getLogger(__name__)

_EXTENSION = "servicekit.metrics"


def multiprocess_dir():
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def init_app(app):
    """HTTP metrics grouped by endpoint (never by raw path: one series per incident id) and /metrics."""
    exporter_registry = CollectorRegistry()  # fresh per app, so several apps can live in one test process
    exporter = PrometheusMetrics.for_app_factory(
        path=None,
        group_by="endpoint",
        registry=exporter_registry,
        excluded_paths=["/health", "/healthz", "/metrics", "/docs"],
    )
    exporter.init_app(app)
    state = {"collectors": [], "exporter_registry": exporter_registry}
    app.extensions[_EXTENSION] = state

    @app.get("/metrics")
    @public
    def metrics():
        metrics_token.require(current_app.config["METRICS_TOKEN"])
        return Response(_render(state), mimetype=CONTENT_TYPE_LATEST)

    return exporter


def add_collector(app, collector):
    """Add a collector that is asked for fresh values at every scrape (e.g. a DatabaseGauge)."""
    app.extensions[_EXTENSION]["collectors"].append(collector)


def _render(state):
    scrape = CollectorRegistry()
    for collector in state["collectors"]:
        scrape.register(collector)
    if multiprocess_dir():
        MultiProcessCollector(scrape)
        return generate_latest(scrape)
    # Single process (e.g. `flask run`): the module-level metrics live in the default registry.
    return generate_latest(REGISTRY) + generate_latest(state["exporter_registry"]) + generate_latest(scrape)


class DatabaseGauge:
    """A gauge whose value is a SQL query run at scrape time: true after restarts and across replicas.

    `query` returns rows of (label values..., value); `expected` lists label
    tuples that are always exported, as 0 when the query has no row for them.
    """

    def __init__(self, app, name, documentation, labelnames, query, expected=()):
        self.app = app
        self.name = name
        self.documentation = documentation
        self.labelnames = list(labelnames)
        self.query = query
        self.expected = [tuple(labels) for labels in expected]

    def describe(self):
        return [GaugeMetricFamily(self.name, self.documentation, labels=self.labelnames)]

    def collect(self):
        family = GaugeMetricFamily(self.name, self.documentation, labels=self.labelnames)
        try:
            rows = self._fetch()
        except Exception as exc:  # a scrape must not fail because one gauge cannot be read
            log.warning("could not read %s from the database: %s", self.name, exc)
            return
        values = dict.fromkeys(self.expected, 0.0)
        for row in rows:
            values[tuple(str(v) for v in row[:-1])] = float(row[-1])
        for labels, value in sorted(values.items()):
            family.add_metric(list(labels), value)
        yield family

    def _fetch(self):
        with db.get_db(self.app).connection() as conn, conn, conn.cursor() as cur:
            cur.execute(self.query)
            return cur.fetchall()


class DatabaseCounter(DatabaseGauge):
    """A DatabaseGauge exposed as a counter: for counts of rows that only grow."""

    def describe(self):
        return [CounterMetricFamily(self.name, self.documentation, labels=self.labelnames)]

    def collect(self):
        for gauge in super().collect():
            counter = CounterMetricFamily(self.name, self.documentation, labels=self.labelnames)
            for sample in gauge.samples:
                counter.add_metric([sample.labels[name] for name in self.labelnames], sample.value)
            yield counter
