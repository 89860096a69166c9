"""What bench/ingest measures, started by itself: a PostgreSQL cluster, the ceiling app, our services.

Everything runs on databases of its own (dropped afterwards) in a private cluster with
pg_stat_statements, so that other work on the machine's shared server neither competes for
its connections nor shows up in its CPU figures.
"""

import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import psycopg2

from bench import ceiling
from nativestack import components, postgres
from nativestack.stack import Stack

ROOT = postgres.ROOT
BIN = pathlib.Path(sys.executable).parent
CLUSTER_DATA = postgres.DATA_ROOT / "bench-postgres"
LOGS = ROOT / ".stack-bench" / "logs"
SERVICES = ("alert_ingestion", "incident_management", "oncall_service", "notification_service")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, timeout=60, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (our own localhost URL)
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 200 within {timeout}s")


class Cluster:
    """The private cluster (or the server given by --database-url) and the benchmark's databases in it."""

    def __init__(self, server_url=None):
        self.private = server_url is None
        self.server_url = server_url
        self.databases = []

    def start(self):
        if self.private:
            self.server_url = postgres.start_private_cluster(
                CLUSTER_DATA,
                free_port(),
                {
                    "shared_preload_libraries": "pg_stat_statements",
                    "pg_stat_statements.track_planning": "on",
                    "max_connections": 200,
                },
            )
        return self

    def postmaster_pid(self):
        conn = psycopg2.connect(self.server_url)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                backend = cur.fetchone()[0]
            # Read while the backend lives: its parent is the postmaster.
            with open(f"/proc/{backend}/stat") as file:
                return int(file.read().rsplit(")", 1)[1].split()[1])
        finally:
            conn.close()

    def database(self, purpose):
        name = f"bench_{purpose}_{uuid.uuid4().hex[:6]}"
        self.databases.append(name)
        url = postgres.create_database(self.server_url, name)
        if self.private:
            with psycopg2.connect(url) as conn, conn.cursor() as cur:
                cur.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            conn.close()
        return url

    def stop(self):
        for name in self.databases:
            postgres.drop_database(self.server_url, name)
        if self.private:
            postgres.stop_private_cluster(CLUSTER_DATA)


class Ceiling:
    """bench/ceiling.py under gunicorn with our gunicorn settings (servicekit/gunicorn_conf.py)."""

    def __init__(self, database_url):
        self.database_url = database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.urls = [self.url]
        self.process = None

    def start(self):
        ceiling.prepare(self.database_url, [])
        env = {**os.environ, "BIND": f"127.0.0.1:{self.port}", "DATABASE_URL": self.database_url}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        command = [
            str(BIN / "gunicorn"),
            "-c",
            str(ROOT / "servicekit" / "gunicorn_conf.py"),
            "bench.ceiling:create_app()",
        ]
        LOGS.mkdir(parents=True, exist_ok=True)
        with (LOGS / "ceiling.log").open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        wait_for(f"{self.url}/health", process=self.process)
        return self

    def prepare_level(self, prefix, services):
        keys = [(f"{prefix}-svc{n:02d}", severity) for n in range(services) for severity in ceiling.SEVERITIES]
        ceiling.prepare(self.database_url, keys)

    def pids(self):
        return {"ingest": [self.process.pid]}

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class Ours:
    """The four services of the native stack, under supervisord, on the benchmark's database; with `replicas`
    above 1, that many more of alert ingestion and incident management (each ingestion replica calling its
    own incident management), all on the one database. on-call and notification stay single: an alert
    reaches them only when it opens an incident (200 a level)."""

    def __init__(self, database_url, port_offset, replicas=1):
        self.database_url = database_url
        self.replicas = replicas
        wanted = [component for component in components.COMPONENTS if component.name in SERVICES]
        # The benchmark measures capacity from one address: ingestion's rate limits would refuse it.
        unlimited = {"INGEST_RATE_LIMIT_PER_ADDRESS": "0", "INGEST_RATE_LIMIT_PER_KEY": "0"}
        self.stack = Stack(ROOT / ".stack-bench", port_offset, database_url, wanted, settings=unlimited)
        self.urls = [self.stack.url("alert_ingestion")]
        self._replicas = {"ingest": [], "incidents": []}

    def start(self):
        postgres.migrate(self.database_url)
        self.stack.up(timeout=90)
        for _ in range(self.replicas - 1):
            incidents_port, ingestion_port = free_port(), free_port()
            self._replicas["incidents"].append(self.stack.start_replica("incident_management", incidents_port))
            self._replicas["ingest"].append(
                self.stack.start_replica(
                    "alert_ingestion", ingestion_port, INCIDENT_MANAGEMENT_URL=f"http://127.0.0.1:{incidents_port}"
                )
            )
            self.urls.append(f"http://127.0.0.1:{ingestion_port}")
        return self

    def pids(self):
        pid = {name: int(self.stack.ctl("pid", name).stdout.strip()) for name in SERVICES}
        return {
            "ingest": [pid["alert_ingestion"], *(process.pid for process in self._replicas["ingest"])],
            "incidents": [pid["incident_management"], *(process.pid for process in self._replicas["incidents"])],
            "others": [pid["oncall_service"], pid["notification_service"]],
        }

    def stop(self):
        for process in self._replicas["ingest"] + self._replicas["incidents"]:
            process.terminate()
            process.wait(timeout=30)
        self.stack.down()
