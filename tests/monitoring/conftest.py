"""Fixtures of the monitoring tests: alert ingestion talking HTTP to a real incident management, recorded payloads."""

import copy
import json
import pathlib
import socket

import pytest

import alert_ingestion
import incident_management
from servicekit import db

PAYLOADS = pathlib.Path(__file__).parent / "payloads"
RECEIVER = "/api/v1/alerts/alertmanager"


def closed_port_url():
    """A URL where nothing listens: incident management is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def payload():
    """Factory: a recorded Alertmanager payload (a fresh copy each time)."""

    def load(name):
        return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text()))

    return load


@pytest.fixture
def service_app(make_app):
    """Factory like make_app, whose apps close their database pools at the end of the test."""
    apps = []

    def make(create_app, **config):
        apps.append(make_app(create_app, **config))
        return apps[-1]

    yield make
    for app in apps:
        db.get_db(app).close()


@pytest.fixture
def incidents_app(service_app):
    return service_app(incident_management.create_app)


@pytest.fixture
def incidents_url(incidents_app, live_server):
    return live_server(incidents_app)


@pytest.fixture
def ingestion(service_app, incidents_url):
    """A test client of alert ingestion whose incident management answers."""
    return service_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url).test_client()


@pytest.fixture
def ingestion_without_incidents(service_app):
    """A test client of alert ingestion whose incident management is down (alerts are due for relay at once)."""
    return service_app(
        alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=closed_port_url(), OUTBOX_GRACE_SECONDS=0.0
    ).test_client()


@pytest.fixture
def incidents(incidents_app):
    """A test client of incident management."""
    return incidents_app.test_client()
