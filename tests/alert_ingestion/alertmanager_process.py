"""A real Alertmanager (Debian's prometheus-alertmanager) started for one test, with a configuration of its own."""

import contextlib
import datetime as dt
import pathlib
import shutil
import subprocess
import tempfile

import pytest
import requests
import yaml

from tests.ports import free_port
from tests.waiting import wait_for

BINARY = "/usr/bin/prometheus-alertmanager"
# Notifications within about a second of an alert (or its end) reaching Alertmanager.
FAST_ROUTE = {"group_by": ["alertname"], "group_wait": "0s", "group_interval": "1s", "repeat_interval": "1h"}


@contextlib.contextmanager
def running(receiver):
    """Alertmanager routing every alert to `receiver` (one receivers[] entry); yields its base URL."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix="test-alertmanager-"))
    config = {"route": {"receiver": receiver["name"], **FAST_ROUTE}, "receivers": [receiver]}
    (folder / "alertmanager.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    command = [
        BINARY,
        f"--config.file={folder / 'alertmanager.yml'}",
        f"--storage.path={folder / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
        "--log.level=warn",
    ]
    log = (folder / "alertmanager.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _ready(url, process), timeout=20, what=f"Alertmanager on {url}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _ready(url, process):
    if process.poll() is not None:
        pytest.fail(f"Alertmanager exited with {process.returncode}")
    try:
        return requests.get(f"{url}/-/ready", timeout=1).status_code == 200
    except requests.ConnectionError:
        return False


def post_alert(url, labels, annotations=None, ended=False):
    """Send one alert to Alertmanager, as Prometheus does; `ended` sends its end (a second ago)."""
    alert = {"labels": labels, "annotations": annotations or {}, "generatorURL": "http://prometheus:9090/graph"}
    if ended:
        ends_at = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=1)
        alert["endsAt"] = ends_at.isoformat().replace("+00:00", "Z")
    response = requests.post(f"{url}/api/v2/alerts", json=[alert], timeout=5)
    assert response.status_code == 200, response.text


def failed_notifications(url, integration):
    """Alertmanager's own count of notifications to `integration` (webhook, pagerduty) that failed."""
    text = requests.get(f"{url}/metrics", timeout=5).text
    for line in text.splitlines():
        if line.startswith("alertmanager_notifications_failed_total") and f'integration="{integration}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0
