"""The native stack: configuration rendering, environment, and `python -m nativestack` end to end."""

import os
import re
import shutil
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


def _supervisord_pid(state_dir):
    return (state_dir / "supervisord.pid").read_text().strip()


@pytest.mark.stack
def test_up_status_restart_down_from_the_command_line(pg_server):
    """What `make up` / `make status` / `make restart` / `make down` run, on ports of this test's own.

    Only `up` is given the settings: the others find the stack from what `up` recorded. The database is the
    stack's own by default (named after its port offset), so it never shares the first stack's data.
    """
    offset = STACK_PORT_OFFSET + 500
    state_dir = ROOT / ".stack-test-cli"
    database = f"incident_platform_{offset}"
    env = {**os.environ, "PORT_OFFSET": str(offset), "STACK_DIR": str(state_dir)}
    for name in ("DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR", "STACK_DATABASE"):
        env.pop(name, None)
    found_env = {k: v for k, v in env.items() if k not in {"PORT_OFFSET", "STACK_DIR"}}
    command = [sys.executable, "-m", "nativestack"]

    def run(verb, environment):
        return subprocess.run([*command, verb], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=300)

    port = 8001 + offset
    try:
        up = run("up", env)
        assert up.returncode == 0, up.stderr
        assert f"stack is up (port offset {offset}, database {database}" in up.stdout
        assert requests.get(f"http://127.0.0.1:{port}/health", timeout=5).json()["status"] == "ok"
        first_pid = _supervisord_pid(state_dir)

        again = run("up", env)
        assert again.returncode == 0, again.stderr
        assert "stack is already running" in again.stdout and "nothing changed" in again.stdout
        assert _supervisord_pid(state_dir) == first_pid

        # Healthy already; supervisord calls a program RUNNING once it has lived startsecs (1 s).
        time.sleep(1.5)
        status = run("status", found_env)
        assert f"{state_dir} (port offset {offset}, database {database})" in status.stdout
        assert re.search(r"^alert_ingestion\s+RUNNING", status.stdout, re.MULTILINE), status.stdout

        restarted = run("restart", found_env)
        assert restarted.returncode == 0, restarted.stderr
        assert f"stack is up (port offset {offset}, database {database}" in restarted.stdout
        assert _supervisord_pid(state_dir) != first_pid
        assert requests.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
    finally:
        down = run("down", found_env)
        postgres.drop_database(pg_server, database)
    assert f"stack is down ({state_dir})" in down.stdout
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/health", timeout=5)
    assert str(state_dir) not in (ROOT / ".stacks").read_text()


def test_a_failed_start_stops_everything_and_says_why(tmp_path, make_database):
    """A program supervisord cannot run: the start gives up early, names supervisord's reason, stops the rest."""
    offset = STACK_PORT_OFFSET + 600
    broken = components.Component(name="broken", port=8002, docker_host="broken", command="/nonexistent/daemon")
    stack = Stack(
        tmp_path / "state", port_offset=offset, database_url=make_database("failed_start"),
        components=[components.by_name()["alert_ingestion"], broken],
    )  # fmt: skip
    started = time.monotonic()
    with pytest.raises(RuntimeError) as failure:
        stack.up(timeout=60)
    assert time.monotonic() - started < 30, "FATAL is final: no need to wait for the timeout"
    message = str(failure.value)
    assert "supervisord gave up on broken" in message
    assert "broken: FATAL" in message and "can't find command '/nonexistent/daemon'" in message
    assert not stack.running()
    assert not (tmp_path / "state" / "supervisord.pid").exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{stack.url('alert_ingestion')}/health", timeout=5)


def test_missing_programs_are_named_with_the_command_that_installs_them():
    """Not root (or no apt): one line, before anything starts, and a failing exit."""
    script = ROOT / "scripts" / "install-prerequisites"
    user = [shutil.which("runuser"), "-u", "nobody", "--"] if os.geteuid() == 0 else []
    # No PATH: every program looked up by name is missing (those with a fixed path are there or not). The script
    # comes on stdin: nobody may not be able to enter the checkout (a clone in root's home).
    result = subprocess.run(
        [*user, "/bin/bash", "-s", "test"],
        input=script.read_text(),
        env={"PATH": "/nonexistent"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("missing for 'test': ")
    for program in ("npm", "node", "docker-compose", "git", "openssl"):
        assert f" {program}" in lines[0].split(";")[0]
    assert re.search(r"install them with: (sudo )?apt-get install -y .*\bnodejs\b.*\bgit\b", lines[0])


def test_the_prerequisites_script_refuses_an_unknown_profile():
    result = subprocess.run(["bash", str(ROOT / "scripts" / "install-prerequisites"), "sideways"], capture_output=True,
                            text=True)  # fmt: skip
    assert result.returncode == 2
    assert "usage: scripts/install-prerequisites [up|test|bench|compose]" in result.stderr


def test_usage_error():
    result = subprocess.run([sys.executable, "-m", "nativestack", "sideways"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "usage: python -m nativestack" in result.stderr


def test_without_any_server_a_private_cluster_is_started(monkeypatch):
    """No DATABASE_URL and nothing on the usual port: start PostgreSQL from its binaries under .data/."""
    data = postgres.DATA_ROOT / f"test-private-{uuid.uuid4().hex[:6]}"
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
