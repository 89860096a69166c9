"""Fixtures of the integrations tests: alert ingestion over HTTP to a real incident management, exact payloads."""

import copy
import json
import pathlib

import pytest

import alert_ingestion
import incident_management

PAYLOADS = pathlib.Path(__file__).parent / "payloads"


@pytest.fixture
def payload():
    """Factory: a payload of the exact published shape (a fresh copy each time)."""

    def load(name):
        return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text()))

    return load


@pytest.fixture
def incidents_app(make_app):
    return make_app(incident_management.create_app)


@pytest.fixture
def incidents(incidents_app):
    """A test client of incident management."""
    return incidents_app.test_client()


@pytest.fixture
def make_ingestion(make_app, incidents_app, live_server):
    """Factory: a test client of alert ingestion (extra settings as keywords) whose incident management answers."""
    url = live_server(incidents_app)

    def make(**config):
        return make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=url, **config).test_client()

    return make


@pytest.fixture
def ingestion(make_ingestion):
    return make_ingestion()
