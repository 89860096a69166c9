"""Fixtures of the monitoring tests: alert ingestion talking HTTP to a real incident management, recorded payloads."""

import copy
import json
import pathlib

import pytest

import alert_ingestion
import incident_management
from tests.ports import closed_port_url

PAYLOADS = pathlib.Path(__file__).parent / "payloads"
RECEIVER = "/api/v1/alerts/alertmanager"


@pytest.fixture
def payload():
    """Factory: a recorded Alertmanager payload (a fresh copy each time)."""

    def load(name):
        return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text()))

    return load


@pytest.fixture
def incidents_app(make_app):
    return make_app(incident_management.create_app)


@pytest.fixture
def incidents_url(incidents_app, live_server):
    return live_server(incidents_app)


@pytest.fixture
def ingestion(make_app, incidents_url):
    """A test client of alert ingestion whose incident management answers."""
    return make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url).test_client()


@pytest.fixture
def ingestion_without_incidents(make_app):
    """A test client of alert ingestion whose incident management is down (alerts are due for relay at once)."""
    return make_app(
        alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=closed_port_url(), OUTBOX_GRACE_SECONDS=0.0
    ).test_client()


@pytest.fixture
def incidents(incidents_app):
    """A test client of incident management."""
    return incidents_app.test_client()
