"""Fixtures of the notification service's tests: an app on the test database, an incident, fake receivers."""

import re
import shutil
import subprocess

import pytest

from notification_service import create_app
from notification_service.channels import apprise_channel
from servicekit import outbound_guard
from tests.conftest import LOCAL_RECEIVERS
from tests.notification_service.fake_services import FakeService
from tests.notification_service.receivers import HttpReceiver, MailCollector, start_smtp


@pytest.fixture
def log_file(tmp_path):
    return tmp_path / "notifications.log"


@pytest.fixture
def app(make_app, log_file):
    """Retries due at once (base 0) so that a test drives the relay without waiting."""
    return make_app(
        create_app,
        NOTIFICATION_LOG_FILE=str(log_file),
        NOTIFICATION_RETRY_BASE_SECONDS=0.0,
        NOTIFICATION_MAX_ATTEMPTS=3,
        NOTIFICATION_SYNC_TIMEOUT=2.0,
        NOTIFICATION_RELAY_TIMEOUT=2.0,
        WEBHOOK_ALLOWED_HOSTS=LOCAL_RECEIVERS,
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_incident(sql):
    """Factory: an incident row (notifications reference one); returns its id as a string."""

    def make(title="Database down"):
        rows = sql(
            "INSERT INTO incidents (title, service, severity) VALUES (%s, 'db', 'critical') RETURNING id::text",
            (title,),
        )
        return rows[0][0]

    return make


@pytest.fixture
def incident_id(make_incident):
    return make_incident()


@pytest.fixture
def receiver():
    """Factory: a local HTTP receiver (see HttpReceiver), closed after the test."""
    started = []

    def start(statuses=lambda _n: 200, delay=0.0):
        started.append(HttpReceiver(statuses, delay))
        return started[-1]

    yield start
    for server in started:
        server.close()


@pytest.fixture
def smtp_server():
    """Factory: a real SMTP server (aiosmtpd) on a free local port; returns (controller, collected mail)."""
    controllers = []

    def start(refuse=(), **smtp_options):
        handler = MailCollector(refuse)
        controllers.append(start_smtp(handler, **smtp_options))
        return controllers[-1], handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="session")
def tls_certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (key, cert paths), made with the openssl command line."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command line is needed to make a test certificate (Debian package openssl)"
    options = "req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
    subprocess.run([openssl, *options.split(), "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return key, cert


def metric_value(client, name, **labels):
    """The value of one sample on /metrics (0 when absent)."""
    text = client.get("/metrics").get_data(as_text=True)
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if match and ",".join(sorted((match.group(1) or "").split(","))) == wanted:
            return float(match.group(2))
    return 0.0


@pytest.fixture(scope="session")
def service_certificate(tmp_path_factory):
    """A self-signed certificate (key, cert paths) for the HTTPS fakes: 127.0.0.1 and two vendors' API hosts."""
    folder = tmp_path_factory.mktemp("tls-services")
    key, cert = folder / "key.pem", folder / "cert.pem"
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command line is needed to make a test certificate (Debian package openssl)"
    options = "req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=fake-services"
    names = "subjectAltName=IP:127.0.0.1,DNS:api.twilio.com,DNS:api.pushover.net"
    subprocess.run(
        [openssl, *options.split(), "-addext", names, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return str(key), str(cert)


@pytest.fixture
def fake_service(monkeypatch, service_certificate):
    """Factory: a FakeService (tls=True for HTTPS, trusted through REQUESTS_CA_BUNDLE), closed after the test."""
    started = []

    def start(answer, tls=False):
        if tls:
            monkeypatch.setenv("REQUESTS_CA_BUNDLE", service_certificate[1])
        started.append(FakeService(answer, service_certificate if tls else None))
        return started[-1]

    yield start
    for server in started:
        server.close()


def point_at(app, routes):
    """Make the apprise channel of `app` connect to local fakes: routes {(host, port): (address, port)}."""

    def targets(host, port):
        if (host, port) in routes:
            return [routes[(host, port)]]
        return outbound_guard.system_targets(host, port)

    apprise_channel.init_app(app, targets)
