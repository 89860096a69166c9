"""Fixtures of the outgoing webhook tests: incident management on the test database, local receivers."""

import pytest

import incident_management
from tests.access.listener import Listener

SUBSCRIPTIONS = "/api/v1/webhook-subscriptions"


@pytest.fixture
def make_incidents(make_app):
    """Factory: an incident management app whose webhooks may reach 127.0.0.1, retries at once by default."""

    def make(**config):
        settings = {"WEBHOOK_ALLOWED_HOSTS": "127.0.0.1", "WEBHOOK_RETRY_BASE_SECONDS": 0.0, **config}
        return make_app(incident_management.create_app, **settings)

    return make


@pytest.fixture
def app(make_incidents):
    return make_incidents()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def receiver():
    """Factory: a local HTTP receiver recording every request; `answer(path)` -> (status, headers, body)."""
    started = []

    def start(answer=None):
        started.append(Listener("127.0.0.1", answer))
        return started[-1]

    yield start
    for listener in started:
        listener.close()


@pytest.fixture
def subscribe(client):
    """Factory: a subscription (created through the API) to `url`; returns the answer with its secret."""

    def make(url, **fields):
        response = client.post(SUBSCRIPTIONS, json={"team": "payments", "url": url, **fields})
        assert response.status_code == 201, response.json
        return response.json

    return make
