"""Fixtures of alert ingestion's tests: ingestion apps whose incident management answers, integration keys."""

import pytest

import alert_ingestion
import incident_management

KEYS = "/api/v1/integration-keys"


@pytest.fixture
def incidents_app(make_app):
    return make_app(incident_management.create_app)


@pytest.fixture
def incidents_url(incidents_app, live_server):
    return live_server(incidents_app)


@pytest.fixture
def make_ingestion(make_app, incidents_url):
    """Factory: an alert ingestion app (extra settings as keywords) whose incident management answers."""

    def make(**config):
        return make_app(alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=incidents_url, **config)

    return make


@pytest.fixture
def make_key():
    """Factory: create an integration key through `client`; returns the created record with its `key`."""

    def make(client, **fields):
        response = client.post(KEYS, json={"name": "prometheus-prod", "source": "alertmanager", **fields})
        assert response.status_code == 201, response.json
        return response.json

    return make


def bearer(key):
    return {"Authorization": f"Bearer {key}"}
