"""Fixtures of the access tests: local listeners (to prove what arrived), a notification app, an incident."""

import shutil
import subprocess

import pytest

from tests.access.listener import Listener


@pytest.fixture
def listener():
    """Factory: a Listener on a local address, closed after the test."""
    started = []

    def start(host="127.0.0.1", answer=None, tls=None):
        started.append(Listener(host, answer, tls))
        return started[-1]

    yield start
    for server in started:
        server.close()


@pytest.fixture
def incident_id(sql):
    rows = sql(
        "INSERT INTO incidents (title, service, severity) VALUES ('db down', 'db', 'critical') RETURNING id::text"
    )
    return rows[0][0]


@pytest.fixture
def notifier(make_app, tmp_path):
    """Factory: a notification service app with the given allow-list."""
    from notification_service import create_app

    def make(allowed="", **config):
        return make_app(
            create_app,
            NOTIFICATION_LOG_FILE=str(tmp_path / "notifications.log"),
            NOTIFICATION_RETRY_BASE_SECONDS=0.0,
            NOTIFICATION_SYNC_TIMEOUT=2.0,
            WEBHOOK_ALLOWED_HOSTS=allowed,
            **config,
        )

    return make


@pytest.fixture(scope="session")
def hooks_certificate(tmp_path_factory):
    """A self-signed certificate for the name hooks.test (key, cert paths)."""
    folder = tmp_path_factory.mktemp("hooks-tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command line is needed to make a test certificate (Debian package openssl)"
    options = "req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=hooks.test -addext subjectAltName=DNS:hooks.test"
    subprocess.run([openssl, *options.split(), "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return str(key), str(cert)
