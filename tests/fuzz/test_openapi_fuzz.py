"""schemathesis over the four OpenAPI documents, against the services served over real HTTP.

Bounded examples per operation plus the stateful phase (links between operations). Every
check must pass: no server error, every answer documented and matching its schema, every
request the document calls valid accepted, every invalid one refused. Outbound webhooks and
Apprise's requests resolve to 127.0.0.1 whatever name they give (the SSRF client's and the
apprise guard's resolvers are replaced, so no name is looked up) and e-mail goes to a closed
local port: nothing leaves the machine.
The figures (cases, failures) of each document's run are printed.
"""

import http.server
import logging
import os
import pathlib
import re
import subprocess
import sys
import threading

import pytest
from werkzeug.serving import make_server

import alert_ingestion
import incident_management
import notification_service
import oncall_service
from incident_management.webhooks import worker as webhooks
from notification_service.channels import apprise_channel, webhook
from tests.ports import free_port

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "20"))
SCHEMATHESIS = pathlib.Path(sys.executable).parent / "schemathesis"
HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SERVICES = ("alert_ingestion", "incident_management", "oncall_service", "notification_service")


class _Sink(http.server.BaseHTTPRequestHandler):
    """Takes every outbound webhook (as their proxy) and answers 204; refuses tunnels (https)."""

    received = 0

    def _take(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        type(self).received += 1
        self.send_response(204)
        self.end_headers()

    do_POST = do_PUT = do_GET = _take

    def do_CONNECT(self):
        self.send_response(403)
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture
def sink():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def services(make_app, sink, monkeypatch):
    """The four services on ports chosen first, so that each knows the others' addresses."""
    ports = {name: free_port() for name in SERVICES}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    # The neighbours are up: a loaded CI machine must not turn a slow accept into the 503 of one that is down.
    patient = {"INCIDENT_MANAGEMENT_CONNECT_TIMEOUT": 10, "PAGING_CONNECT_TIMEOUT": 10, "PAGING_TIMEOUT": 20}
    apps = {
        "alert_ingestion": make_app(
            alert_ingestion.create_app, INCIDENT_MANAGEMENT_URL=urls["incident_management"], **patient
        ),
        "incident_management": make_app(
            incident_management.create_app,
            **patient,
            ONCALL_SERVICE_URL=urls["oncall_service"],
            NOTIFICATION_SERVICE_URL=urls["notification_service"],
            WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
        ),
        "oncall_service": make_app(
            oncall_service.create_app,
            INCIDENT_MANAGEMENT_URL=urls["incident_management"],
            NOTIFICATION_SERVICE_URL=urls["notification_service"],
            **patient,
        ),
        "notification_service": make_app(
            notification_service.create_app,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=free_port(),
            NOTIFICATION_SYNC_TIMEOUT=1.0,
            WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
        ),
    }
    # Every webhook name resolves to this machine (allow-listed), so generated destinations never leave it:
    # whatever port a generated URL names is on 127.0.0.1, where at most a local listener answers.
    outbound = webhook.client(apps["notification_service"])
    outbound.resolve = lambda host, port: ["127.0.0.1"]
    webhooks.client(apps["incident_management"]).resolve = lambda host, port: ["127.0.0.1"]  # outgoing webhooks
    # The same for every connection an Apprise plugin opens (the apprise channel's guard resolves names).
    apprise_channel.init_app(apps["notification_service"], lambda host, port: [("127.0.0.1", port)])
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request is thousands of lines
    # PagerDuty events name a routing key that must exist: hooks.py puts this one in the valid cases.
    created = apps["alert_ingestion"].test_client().post("/api/v1/integration-keys", json={"name": "fuzz"})
    monkeypatch.setenv("FUZZ_ROUTING_KEY", created.json["key"])
    servers = []
    for name, app in apps.items():
        server = make_server("127.0.0.1", ports[name], app, threaded=True)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
    yield urls
    for server in servers:
        server.shutdown()


def start_schemathesis(url, report):
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(HERE / "schemathesis.toml"),
        "run",
        f"{url}/docs/openapi.json",
        "--url",
        url,
        "--checks",
        "all",
        "--exclude-checks",
        "ignored_auth,object_level_authorization",  # no authentication on these services yet
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        os.environ.get("FUZZ_SEED", "13"),
        "--generation-database",
        "none",
        "--request-timeout",
        "10",
        "--workers",
        "1",  # schemathesis' coverage phase is not thread-safe on Python 3.11 (AST recursion SystemError)
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    env = {
        **os.environ,
        "NO_PROXY": "*",
        "SCHEMATHESIS_TELEMETRY": "false",
        "SCHEMATHESIS_HOOKS": "tests.fuzz.hooks",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


# A guard against a hung run, not a speed target: the four runs take 3-8 minutes on 2 shared cores.
@pytest.mark.timeout(960)
def test_the_documents_hold_against_the_services(services, tmp_path):
    """The four runs go side by side (one process each); the services answer from this process's threads."""
    runs = {name: start_schemathesis(url, tmp_path / f"{name}.xml") for name, url in services.items()}
    figures, failed = [], []
    for name, run in runs.items():
        stdout, stderr = run.communicate(timeout=930)
        figures.append(f"{name}: {_summary(stdout)}")
        if run.returncode != 0:
            failed.append(f"--- {name} (exit {run.returncode})\n{stdout[-12000:]}\n{stderr[-2000:]}")
    print("\nschemathesis figures:\n" + "\n".join(figures))
    print(f"outbound webhooks caught by the sink: {_Sink.received}")
    assert not failed, "\n".join(failed)


def _summary(output):
    """The run's own closing figures (operations, test cases, failures), as schemathesis prints them."""
    lines = [line.strip() for line in output.splitlines() if len(line) < 200]
    wanted = [line for line in lines if re.search(r"(\d+ generated|^=+ .* in [\d.]+s =+$|❌ ST\d+)", line)]
    return " | ".join(wanted) or "no summary"
