"""`make compose-test`'s stand-ins keep up with what docker-compose.yml and the Dockerfiles pull."""

import re
import sys

import yaml

from tests.conftest import ROOT
from tests.delivery import dockerfile

sys.path.insert(0, str(ROOT / "scripts" / "compose-test"))
import run as compose_test
import standins


def pulled_images():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    images = {s["image"] for s in services.values() if "build" not in s}
    for path in ("Dockerfile", "web-ui/Dockerfile"):
        stages = dockerfile.stages((ROOT / path).read_text())
        images |= {stage.base for stage in stages if stage.base not in {s.name for s in stages}}
    return images


def test_every_image_pulled_has_a_stand_in_or_is_left_out_saying_why():
    pulled = pulled_images()
    left_out = {image for image in pulled if image.split("/")[0] in compose_test.LEFT_OUT}
    assert left_out == {"grafana/grafana:11.2.0"}
    assert pulled - left_out == set(standins.STANDINS)


def test_every_recipe_names_its_packages_and_image_settings():
    for recipe in standins.STANDINS.values():
        text = (standins.RECIPES / f"{recipe}.sh").read_text()
        assert re.search(r"^# packages: \S", text, re.MULTILINE), recipe
        changes = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("# config:")]
        assert changes and all(re.match(r"(CMD|ENTRYPOINT|ENV|USER|WORKDIR|EXPOSE|LABEL) ", c) for c in changes), recipe


def test_a_recipe_change_is_a_new_cache_key():
    before = standins.recipe_hash("prometheus")
    assert before == standins.recipe_hash("prometheus")
    assert before != standins.recipe_hash("alertmanager")


def test_docker_hub_names_are_qualified_as_podman_stores_them():
    assert standins.qualified("postgres:15.10-bookworm") == "docker.io/library/postgres:15.10-bookworm"
    assert standins.qualified("prom/prometheus:v2.53.2") == "docker.io/prom/prometheus:v2.53.2"
    assert standins.qualified("localhost/x:1") == "localhost/x:1"
    assert standins.qualified("ghcr.io/a/b:1") == "ghcr.io/a/b:1"


def test_the_built_images_are_ours_with_the_stand_in_python():
    images, services = compose_test.ours()
    assert sorted(images) == sorted(f"incident-platform/{n}:compose-test" for n in (
        "alert-ingestion", "incident-management", "oncall-service", "notification-service", "web-ui"))  # fmt: skip
    assert "grafana" not in services and {"postgres", "migrate", "web-ui", "prometheus"} <= set(services)
    python = f"--build-arg=PYTHON_IMAGE={standins.qualified('python:3.11-slim-bookworm')}"
    assert python in images["incident-platform/oncall-service:compose-test"]
    assert "--build-arg=SERVICE=oncall_service" in images["incident-platform/oncall-service:compose-test"]
