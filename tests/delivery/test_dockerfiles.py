"""Every Dockerfile (one for the four services, one for the web UI): hadolint-clean, multi-stage, pinned,
non-root, with a HEALTHCHECK; each service image's files, laid out as the Dockerfile copies them, really
start, migrate and answer the health check."""

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
# One Dockerfile for the four services, told which one by its build arguments.
SERVICE_DOCKERFILE = "Dockerfile"


def build_args(package):
    return {"SERVICE": package, "PORT": str(components.by_name()[package].port)}


def test_every_dockerfile_is_found():
    assert {SERVICE_DOCKERFILE, "web-ui/Dockerfile"} <= set(DOCKERFILES)
    assert not [path for path in DOCKERFILES if path.split("/")[0] in SERVICE_PACKAGES], "one Dockerfile, not four"


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


def test_compose_builds_each_service_from_the_one_dockerfile_with_its_package_and_port():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    built = {}
    for name, service in services.items():
        build = service.get("build")
        if build and build["context"] == ".":
            assert build.get("dockerfile", "Dockerfile") == SERVICE_DOCKERFILE, name
            built[service["image"].split(":")[0]] = build["args"]
    assert sorted(built.values(), key=lambda a: a["SERVICE"]) == [build_args(p) for p in sorted(SERVICE_PACKAGES)]
    for image, args in built.items():
        assert image == "incident-platform/" + args["SERVICE"].replace("_", "-")


def test_the_service_is_a_required_build_argument():
    """No default to fall back on: a build without SERVICE stops before `COPY ${SERVICE}/` copies the context."""
    runtime = dockerfile.stages((ROOT / SERVICE_DOCKERFILE).read_text())[-1]
    assert "SERVICE" in runtime.all("ARG") and "PORT" in runtime.all("ARG")
    guard = runtime.all("RUN")[0]
    result = subprocess.run(["sh", "-c", guard.split("&&")[0]], env={"SERVICE": "", "PORT": "8001"},
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 1
    assert "--build-arg SERVICE=<package>" in result.stderr


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

    stages = dockerfile.stages((ROOT / SERVICE_DOCKERFILE).read_text())
    for package in SERVICE_PACKAGES:
        values = dockerfile.runtime_environment(stages[-1], build_args(package))
        for stage in stages:
            for sources, _ in dockerfile.copies(stage):
                for written in sources:
                    source = dockerfile.substitute(written, values).rstrip("/")
                    assert sent(source), f"{package}'s image copies {source}, which .dockerignore leaves out"
    for private in (".env", ".venv/bin/python", ".git/config", ".stack/stack.json", "tests/conftest.py"):
        assert not sent(private), f".dockerignore sends {private}"


# --- the image's files, without Docker ----------------------------------------------------------------


def lay_out_image(package, root):
    """Copy what the runtime stage of `package`'s image COPYs from the context into `root` (as the image's /)."""
    runtime = dockerfile.stages((ROOT / SERVICE_DOCKERFILE).read_text())[-1]
    values = dockerfile.runtime_environment(runtime, build_args(package))
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
    _, _, app = lay_out_image("alert_ingestion", tmp_path)
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


@pytest.mark.parametrize("package", SERVICE_PACKAGES)
def test_the_image_files_start_the_service_and_the_healthcheck_sees_it(tmp_path, package, make_database):
    """The CMD, ENV and files of the image, run with the virtualenv standing in for /opt/venv."""
    runtime, values, app = lay_out_image(package, tmp_path)
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
