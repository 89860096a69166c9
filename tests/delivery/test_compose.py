"""docker-compose.yml: valid for docker-compose, and the promises it makes (health, order, pins, no secrets)."""

import pathlib
import re
import subprocess

import pytest
import yaml

from nativestack import components
from tests.conftest import ROOT
from tests.delivery.conftest import clean_env

APP_SERVICES = ["alert-ingestion", "incident-management", "oncall-service", "notification-service"]
# Compose service names are the hosts the shared configs (nginx, Prometheus, Alertmanager) use.
EXPECTED_SERVICES = {
    *APP_SERVICES, "web-ui", "nginx-exporter", "prometheus", "alertmanager", "grafana", "postgres", "migrate",
}  # fmt: skip
# Images without a shell or HTTP client to probe with; watched by Prometheus instead (see the compose file).
NO_HEALTHCHECK = {"nginx-exporter"}
# Made-up values for a test .env (not secrets).
TEST_PASSWORDS = {
    "POSTGRES_PASSWORD": "pg-test-password-1",  # pragma: allowlist secret
    "GRAFANA_ADMIN_PASSWORD": "grafana-test-password-2",  # pragma: allowlist secret
    "ADMIN_PASSWORD": "admin-test-password-3",  # pragma: allowlist secret
    "SERVICE_SECRET": "service-test-secret-4",  # pragma: allowlist secret
}


def compose_config(env_file, *args):
    return subprocess.run(
        ["docker-compose", "--project-directory", str(ROOT), "--file", str(ROOT / "docker-compose.yml"),
         "--env-file", str(env_file), "config", *args],
        env=clean_env(), capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip


def env_from_example(tmp_path, **overrides):
    """A .env as a user makes it: the example with the blanks filled in."""
    lines = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={overrides.pop(name)}" if name in overrides else line)
    path = tmp_path / "test.env"
    path.write_text("\n".join(lines) + "\n")
    return path


def ports(service):
    """(host ip, published, target) of each published port (compose 1.29 prints "ip:published:target/tcp")."""
    found = set()
    for port in service.get("ports", []):
        if isinstance(port, dict):
            found.add((port["host_ip"], int(port["published"]), int(port["target"])))
        else:
            host_ip, published, target = port.split("/")[0].rsplit(":", 2)
            found.add((host_ip, int(published), int(target)))
    return found


def volumes(service):
    """(source, target, read-only) of each volume (compose 1.29 prints "source:target:mode")."""
    found = []
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            found.append((volume["source"], volume["target"], bool(volume.get("read_only"))))
        else:
            source, target, mode = volume.rsplit(":", 2)
            found.append((source, target, mode == "ro"))
    return found


@pytest.fixture
def config(tmp_path):
    """The compose file as docker-compose resolves it with a test .env."""
    result = compose_config(env_from_example(tmp_path, **TEST_PASSWORDS))
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_docker_compose_config_is_valid(tmp_path):
    result = compose_config(env_from_example(tmp_path, **TEST_PASSWORDS), "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("missing", sorted(TEST_PASSWORDS))
def test_a_missing_required_secret_stops_compose_naming_it(tmp_path, missing):
    given = {name: value for name, value in TEST_PASSWORDS.items() if name != missing}
    result = compose_config(env_from_example(tmp_path, **given), "-q")
    assert result.returncode != 0
    assert missing in result.stderr


def test_the_example_leaves_every_secret_blank():
    values = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line)
    for name in (
        *TEST_PASSWORDS,
        "SMTP_PASSWORD",
        "NOTIFICATION_WEBHOOK_SECRET",
        "ACTION_LINK_SECRET",
        "METRICS_TOKEN",
    ):
        assert values[name] == "", f"{name} must be blank in .env.example"


def test_every_setting_the_compose_file_reads_is_in_the_example():
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", (ROOT / "docker-compose.yml").read_text()))
    documented = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line}
    assert used - documented == set()


def test_services_are_named_as_the_shared_configs_expect(config):
    assert set(config["services"]) == EXPECTED_SERVICES
    for component in components.COMPONENTS:
        assert component.docker_host in config["services"], f"native component {component.name}"


def test_every_long_running_service_has_a_healthcheck(config):
    for name, service in config["services"].items():
        if name in NO_HEALTHCHECK or name == "migrate":
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_start_order_waits_for_health_and_for_the_migration(config):
    services = config["services"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in APP_SERVICES:
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            expected = "service_completed_successfully" if dependency == "migrate" else "service_healthy"
            assert condition == {"condition": expected}, f"{name} -> {dependency}"
    assert set(services["web-ui"]["depends_on"]) == set(APP_SERVICES)


def test_postgres_is_pinned_checked_with_pg_isready_and_keeps_its_data_in_a_named_volume(config):
    postgres = config["services"]["postgres"]
    assert re.fullmatch(r"postgres:\d+\.\d+-\w+", postgres["image"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert volumes(postgres) == [("postgres-data", "/var/lib/postgresql/data", False)]
    assert "postgres-data" in config["volumes"]


def test_third_party_images_are_pinned_and_ours_carry_the_image_tag(config):
    for name, service in config["services"].items():
        image = service["image"]
        if "build" in service:
            assert image.startswith("incident-platform/"), f"{name} builds {image}"
            continue
        repository, _, tag = image.rpartition(":")
        assert repository and re.search(r"\d", tag) and "latest" not in tag, f"{name}: {image} is not pinned"


def test_the_image_tag_comes_from_the_environment(tmp_path):
    result = compose_config(env_from_example(tmp_path, **TEST_PASSWORDS, IMAGE_TAG="0123abcd4567"))
    images = {service["image"] for service in yaml.safe_load(result.stdout)["services"].values()}
    assert "incident-platform/alert-ingestion:0123abcd4567" in images
    assert "incident-platform/web-ui:0123abcd4567" in images


def test_the_migration_is_a_one_shot_with_yoyo_on_the_same_database(config):
    migrate = config["services"]["migrate"]
    assert migrate["restart"] == "no"
    assert "yoyo apply --batch" in " ".join(migrate["command"])
    service_environment = config["services"]["alert-ingestion"]["environment"]
    assert migrate["environment"]["DATABASE_URL"] == service_environment["DATABASE_URL"]


def test_secrets_come_from_the_env_file_only(config):
    """The password given in .env reaches postgres, Grafana and the services' DATABASE_URL, and nowhere else."""
    services = config["services"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == TEST_PASSWORDS["POSTGRES_PASSWORD"]
    assert services["grafana"]["environment"]["GF_SECURITY_ADMIN_PASSWORD"] == TEST_PASSWORDS["GRAFANA_ADMIN_PASSWORD"]
    for name in APP_SERVICES:
        url = services[name]["environment"]["DATABASE_URL"]
        assert url == f"postgresql://incidents:{TEST_PASSWORDS['POSTGRES_PASSWORD']}@postgres:5432/incident_platform"
        assert "GF_SECURITY_ADMIN_PASSWORD" not in services[name]["environment"]
    text = (ROOT / "docker-compose.yml").read_text()
    assert not re.search(r"PASSWORD:\s+[^$\s]", text), "a password written into docker-compose.yml"


def test_published_ports_are_spec_ports_on_the_bind_address(config):
    published = {name: ports(service) for name, service in config["services"].items()}
    spec = {
        "alert-ingestion": 8001, "incident-management": 8002, "oncall-service": 8003, "notification-service": 8004,
        "web-ui": 8080, "prometheus": 9090, "alertmanager": 9093, "grafana": 3000,
    }  # fmt: skip
    for name, port in spec.items():
        assert published[name] == {("127.0.0.1", port, port)}, name
    assert published["postgres"] == set(), "the database stays inside the compose network"


def test_app_services_run_without_privileges_on_a_read_only_filesystem(config):
    for name in APP_SERVICES:
        service = config["services"][name]
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]
        assert "no-new-privileges:true" in service["security_opt"]
        assert service["environment"]["INCIDENT_MANAGEMENT_URL"] == "http://incident-management:8002"


def test_every_mounted_configuration_file_exists(config):
    for name, service in config["services"].items():
        for source, _target, read_only in volumes(service):
            if source.startswith("/"):
                assert pathlib.Path(source).exists(), f"{name} mounts missing {source}"
                assert read_only, f"{name} mounts {source} writable"


def test_every_build_points_at_an_existing_dockerfile(config):
    for name, service in config["services"].items():
        if "build" in service:
            build = service["build"]
            assert (ROOT / build["context"] / build.get("dockerfile", "Dockerfile")).is_file(), name


def test_the_example_and_the_compose_defaults_agree_with_the_services_own_defaults(config):
    """WEB_CONCURRENCY and GUNICORN_THREADS: one default, whether set by compose, .env or gunicorn_conf.py."""
    gunicorn_conf = (ROOT / "servicekit" / "gunicorn_conf.py").read_text()
    example = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line)
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
        default = re.search(rf'os\.environ\.get\("{name}", "(\d+)"\)', gunicorn_conf).group(1)
        assert example[name] == default, name
        assert re.search(rf"{name}: \$\{{{name}:-{default}\}}", (ROOT / "docker-compose.yml").read_text()), name


def test_prometheus_writes_the_metrics_token_beside_its_configuration_then_runs(config, tmp_path):
    """Compose's entrypoint, run here with Debian's prometheus: the file its scrape jobs send, then the command."""
    prometheus = config["services"]["prometheus"]
    assert prometheus["environment"]["METRICS_TOKEN"] == ""
    for name in [*APP_SERVICES, "web-ui"]:
        assert "METRICS_TOKEN" in config["services"][name]["environment"], name
    shell, flag, script, name = prometheus["entrypoint"]
    script = script.replace("$$", "$").replace("/etc/prometheus/", f"{tmp_path}/")  # config keeps $$ escaped
    token = "compose-metrics-token-0123456789"  # pragma: allowlist secret (made up for the test)
    result = subprocess.run(
        [shell, flag, script, name, "--version"],
        env={"PATH": "/usr/bin:/bin", "METRICS_TOKEN": token}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "prometheus, version" in result.stdout + result.stderr
    written = tmp_path / "metrics-token"
    assert written.read_text() == token
    assert written.stat().st_mode & 0o077 == 0, "the token file is readable by Prometheus' user only"
