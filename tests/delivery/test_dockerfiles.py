"""Every Dockerfile: hadolint-clean, multi-stage, pinned, non-root, with a HEALTHCHECK; the service images'
files laid out as their Dockerfile copies them really start, migrate and answer the health check."""

import fnmatch
import os
import pathlib
import shutil
import subprocess
import time

import psycopg2
import pytest
import yaml

from nativestack import components, postgres
from tests.conftest import ROOT
from tests.delivery import dockerfile
from tests.delivery.conftest import VENV, run_bash
from tests.ports import free_port

DOCKERFILES = run_bash(f'source "{ROOT}/scripts/pipeline/lib.sh"; dockerfiles').stdout.split()
SERVICE_PACKAGES = [c.name for c in components.COMPONENTS if c.command.startswith("{bin}/gunicorn")]
SERVICE_DOCKERFILES = [f"{package}/Dockerfile" for package in SERVICE_PACKAGES]


def test_every_dockerfile_is_found():
    assert set(SERVICE_DOCKERFILES) | {"web-ui/Dockerfile"} <= set(DOCKERFILES)


@pytest.mark.parametrize("path", DOCKERFILES)
def test_hadolint_passes(path):
    result = subprocess.run(
        [f"{VENV}/bin/hadolint", "--config", str(ROOT / ".hadolint.yaml"), path],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_fails_on_a_warning(tmp_path):
    """The threshold is `warning`: an unpinned base image alone fails."""
    bad = tmp_path / "Dockerfile"
    bad.write_text('FROM python:latest\nUSER 1000\nHEALTHCHECK CMD ["true"]\nCMD ["python"]\n')
    result = subprocess.run(
        [f"{VENV}/bin/hadolint", "--config", str(ROOT / ".hadolint.yaml"), str(bad)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "DL3007" in result.stdout


@pytest.mark.parametrize("path", DOCKERFILES)
def test_multi_stage_pinned_non_root_with_a_healthcheck(path):
    stages = dockerfile.stages((ROOT / path).read_text())
    assert len(stages) >= 2, "build in one stage, run in another"
    for stage in stages:
        if stage.base in {s.name for s in stages}:
            continue
        image, _, tag = stage.base.rpartition(":")
        assert image and tag and tag != "latest" and any(ch.isdigit() for ch in tag), f"unpinned {stage.base}"
    runtime = stages[-1]
    user = runtime.last("USER")
    assert user and user.split(":")[0] not in {"0", "root"}, f"runtime USER is {user}"
    assert runtime.last("HEALTHCHECK"), "no HEALTHCHECK"
    assert "curl" not in runtime.last("HEALTHCHECK")


def test_the_service_dockerfiles_differ_only_in_service_and_port():
    texts = {path: (ROOT / path).read_text().splitlines() for path in SERVICE_DOCKERFILES}
    reference = [line for line in texts[SERVICE_DOCKERFILES[0]] if not line.startswith(("ARG SERVICE=", "ARG PORT="))]
    for path, lines in texts.items():
        package = path.split("/")[0]
        port = components.by_name()[package].port
        assert f"ARG SERVICE={package}" in lines
        assert f"ARG PORT={port}" in lines
        assert [line for line in lines if not line.startswith(("ARG SERVICE=", "ARG PORT="))] == reference, path


def test_the_build_context_sends_what_the_images_copy_and_nothing_else():
    """.dockerignore is an allowlist: every COPY source is in it; secrets and local state are not."""
    rules = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    rules = [line for line in rules if line and not line.startswith("#")]

    def sent(path):
        included = True
        for rule in rules:
            negated, pattern = rule.startswith("!"), rule.lstrip("!").rstrip("/")
            if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern + "/*"):
                included = negated
        return included

    for path in SERVICE_DOCKERFILES:
        runtime = dockerfile.stages((ROOT / path).read_text())
        values = dockerfile.runtime_environment(runtime[-1])
        for stage in runtime:
            for sources, _ in dockerfile.copies(stage):
                for written in sources:
                    source = dockerfile.substitute(written, values).rstrip("/")
                    assert sent(source), f"{path} copies {source}, which .dockerignore leaves out"
    for private in (".env", ".venv/bin/python", ".git/config", ".stack/stack.json", "tests/conftest.py"):
        assert not sent(private), f".dockerignore sends {private}"


# --- the image's files, without Docker ----------------------------------------------------------------


def lay_out_image(path, root):
    """Copy what the Dockerfile's runtime stage COPYs from the context into `root` (as the image's /)."""
    runtime = dockerfile.stages((ROOT / path).read_text())[-1]
    values = dockerfile.runtime_environment(runtime)
    workdir = pathlib.PurePosixPath(runtime.last("WORKDIR"))
    for sources, destination in dockerfile.copies(runtime):
        target = workdir / dockerfile.substitute(destination, values)
        for written in sources:
            source = ROOT / dockerfile.substitute(written, values)
            into = root / str(target).lstrip("/")
            if source.is_dir():
                shutil.copytree(source, into, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                into.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, into)
    return runtime, values, root / str(workdir).lstrip("/")


@pytest.fixture(scope="module")
def unmigrated_database(pg_server):
    name = f"test_delivery_image_{os.getpid()}"
    url = postgres.create_database(pg_server, name)
    yield url
    postgres.drop_database(pg_server, name)


def test_the_compose_migration_command_migrates_from_the_image_files(tmp_path, unmigrated_database):
    _, _, app = lay_out_image("alert_ingestion/Dockerfile", tmp_path)
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["migrate"]["command"]
    command = [word.replace("$$", "$") for word in command]
    env = {**os.environ, "PATH": f"{VENV}/bin:{os.environ['PATH']}", "DATABASE_URL": unmigrated_database}
    for _ in range(2):  # a second run finds nothing to do
        result = subprocess.run(command, cwd=app, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    with psycopg2.connect(unmigrated_database) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM _yoyo_migration")
        applied = cur.fetchone()[0]
    assert applied == len(list((ROOT / "db" / "migrations").glob("*.sql")))


@pytest.mark.parametrize("path", SERVICE_DOCKERFILES)
def test_the_image_files_start_the_service_and_the_healthcheck_sees_it(tmp_path, path, make_database):
    """The CMD, ENV and files of the image, run with the virtualenv standing in for /opt/venv."""
    runtime, values, app = lay_out_image(path, tmp_path)
    port = free_port()
    env = {
        **{key: value for key, value in values.items() if key != "PATH"},
        "PATH": f"{VENV}/bin:/usr/bin:/bin",
        "PYTHONPATH": str(app),
        "BIND": f"127.0.0.1:{port}",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": make_database("image"),
    }
    healthcheck = dockerfile.exec_form(runtime.last("HEALTHCHECK"))
    healthcheck = [str(tmp_path / arg.lstrip("/")) if arg.startswith("/usr/local/bin/") else arg for arg in healthcheck]
    healthcheck[0] = f"{VENV}/bin/python"

    def healthy():
        return subprocess.run(healthcheck, env=env, capture_output=True, text=True, timeout=10, check=False)

    log = (tmp_path / "service.log").open("w")
    service = subprocess.Popen(
        dockerfile.exec_form(runtime.last("CMD")), cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while (check := healthy()).returncode != 0:
            assert service.poll() is None, (tmp_path / "service.log").read_text()
            assert time.monotonic() < deadline, check.stdout + (tmp_path / "service.log").read_text()
            time.sleep(0.5)
        assert f"127.0.0.1:{port}/health: 200" in check.stdout
    finally:
        service.terminate()
        service.wait(timeout=30)
    assert healthy().returncode == 1, "the healthcheck must fail once the service is gone"
