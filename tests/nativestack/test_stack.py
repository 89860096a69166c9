"""The native stack: configuration rendering, environment, and `python -m nativestack` end to end."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid

import pytest
import requests

from nativestack import Stack, components, postgres
from tests.conftest import ROOT, STACK_PORT_OFFSET
from tests.ports import free_port


def test_render_rewrites_docker_addresses_and_known_variables(tmp_path):
    source = tmp_path / "in.conf"
    source.write_text(
        "upstream ingestion { server alert-ingestion:8001; }\n"
        "proxy_pass http://incident-management:8002;\n"
        "db ${DATABASE_URL}; keep $uri and ${UNKNOWN_VARIABLE}\n"
    )
    stack = Stack(tmp_path / "state", port_offset=100, database_url="postgresql://db/x")
    stack.render(source, tmp_path / "out.conf")
    assert (tmp_path / "out.conf").read_text() == (
        "upstream ingestion { server 127.0.0.1:8101; }\n"
        "proxy_pass http://127.0.0.1:8102;\n"
        "db postgresql://db/x; keep $uri and ${UNKNOWN_VARIABLE}\n"
    )


def test_render_copies_a_folder(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "a.yml").write_text("target: alert-ingestion:8001\n")
    stack = Stack(tmp_path / "state", port_offset=1)
    stack.render(tmp_path / "rules", tmp_path / "out")
    assert (tmp_path / "out" / "a.yml").read_text() == "target: 127.0.0.1:8002\n"


def test_every_service_learns_every_address(tmp_path):
    stack = Stack(tmp_path, port_offset=10, database_url="postgresql://x/y")
    env = stack.environment(components.by_name()["alert_ingestion"])
    assert env["INCIDENT_MANAGEMENT_URL"] == "http://127.0.0.1:8012"
    assert env["BIND"] == "127.0.0.1:8011"
    assert env["DATABASE_URL"] == "postgresql://x/y"
    assert env["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "metrics" / "alert_ingestion")


def test_component_names_and_ports_are_unique():
    names = [c.name for c in components.COMPONENTS]
    ports = [c.port for c in components.COMPONENTS]
    assert len(set(names)) == len(names)
    assert len(set(ports)) == len(ports)
    assert {"alert_ingestion": 8001, "incident_management": 8002}.items() <= dict(
        zip(names, ports, strict=True)
    ).items()


def test_with_database_keeps_the_server():
    url = "postgresql://user:pw@db.example:5433/postgres?sslmode=require"
    assert postgres.with_database(url, "other") == "postgresql://user:pw@db.example:5433/other?sslmode=require"
    assert postgres.database_name(url) == "postgres"


def test_the_stack_answers_on_its_own_ports(stack):
    for component in stack.components:
        response = requests.get(f"{stack.url(component.name)}{component.health_path}", timeout=5)
        assert response.status_code == 200, component.name
    assert stack.port("alert_ingestion") == 8001 + STACK_PORT_OFFSET


@pytest.mark.stack
def test_up_status_down_from_the_command_line(pg_server):
    """What `make up` / `make down` run, on ports and a database of this test's own."""
    database = f"test_cli_{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "PORT_OFFSET": str(STACK_PORT_OFFSET + 500),
        "STACK_DIR": str(ROOT / ".stack-test-cli"),
        "STACK_DATABASE": database,
    }
    env.pop("DATABASE_URL", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [sys.executable, "-m", "nativestack"]
    try:
        up = subprocess.run([*command, "up"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert up.returncode == 0, up.stderr
        assert "stack is up" in up.stdout
        port = 8001 + STACK_PORT_OFFSET + 500
        assert requests.get(f"http://127.0.0.1:{port}/health", timeout=5).json()["status"] == "ok"
        # Healthy already; supervisord calls a program RUNNING once it has lived startsecs (1 s).
        time.sleep(1.5)
        status = subprocess.run([*command, "status"], env=env, cwd=ROOT, capture_output=True, text=True)
        assert re.search(r"^alert_ingestion\s+RUNNING", status.stdout, re.MULTILINE), status.stdout
    finally:
        down = subprocess.run([*command, "down"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
        postgres.drop_database(pg_server, database)
    assert "stack is down" in down.stdout
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/health", timeout=5)


def test_usage_error():
    result = subprocess.run([sys.executable, "-m", "nativestack", "sideways"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "usage: python -m nativestack" in result.stderr


def test_without_any_server_a_private_cluster_is_started(monkeypatch):
    """No DATABASE_URL and nothing on the usual port: start PostgreSQL from its binaries under .data/."""
    data = ROOT / ".data" / f"test-private-{uuid.uuid4().hex[:6]}"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(postgres, "LOCAL_SERVER", "postgresql://postgres@127.0.0.1:1/postgres")
    monkeypatch.setattr(postgres, "PRIVATE_DATA", data)
    port = free_port()
    monkeypatch.setattr(postgres, "PRIVATE_PORT", port)
    try:
        url, started = postgres.find_server()
        assert started is True
        assert url == f"postgresql://postgres@127.0.0.1:{port}/postgres"
        database_url = postgres.create_database(url, "private_check")
        postgres.migrate(database_url)
        assert postgres.can_connect(database_url)
    finally:
        postgres.stop_private_cluster(data)
        subprocess.run(["rm", "-rf", str(data)], check=True)
    assert not postgres.can_connect(f"postgresql://postgres@127.0.0.1:{port}/postgres")


def test_up_refuses_ports_another_stack_holds(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        offset = holder.getsockname()[1] - 8001
        stack = Stack(tmp_path, port_offset=offset, components=[components.by_name()["alert_ingestion"]])
        with pytest.raises(RuntimeError, match=r"ports already in use: alert_ingestion \(\d+\)"):
            stack.up()
