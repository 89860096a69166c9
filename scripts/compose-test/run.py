"""`make compose-test`: docker-compose.yml, for real, with podman (no Docker engine needed).

1. stand-ins for the base images that cannot be pulled here (standins.py), each named as upstream;
2. every image of ours built with `podman build` (the services from ./Dockerfile, the web UI);
3. `docker-compose up` against podman's Docker-compatible API, Grafana left out (its image cannot be had);
4. every container healthy (podman runs the HEALTHCHECKs on our call: no systemd here), `migrate` exited 0;
5. the smoke flow through the containers (smoke.py), every container's main process not root, image sizes;
6. everything torn down (containers, volumes, network); the images and the stand-ins' roots stay cached.
"""

import argparse
import os
import pathlib
import secrets
import socket
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import podman_compose  # noqa: E402 (scripts/compose-test is put on the path first)
import smoke  # noqa: E402
import standins  # noqa: E402
import yaml  # noqa: E402

from nativestack import components  # noqa: E402

PROJECT = "incident-platform-compose-test"
TAG = "compose-test"
LEFT_OUT = {"grafana": "grafana/grafana cannot be pulled here and has no Debian package to stand in for it"}


def ours(tag=TAG):
    """(image, podman build arguments) of every image docker-compose.yml builds, and the services to start."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    built = {}
    for service in services.values():
        build = service.get("build")
        if not build:
            continue
        image = service["image"].split(":")[0] + f":{tag}"
        args = [f"--build-arg={k}={v}" for k, v in (build.get("args") or {}).items()]
        if build["context"] == ".":
            args.append(f"--build-arg=PYTHON_IMAGE={standins.qualified('python:3.11-slim-bookworm')}")
        built[image] = [*args, "--file", str(ROOT / build["context"] / build.get("dockerfile", "Dockerfile")),
                        str(ROOT / build["context"])]  # fmt: skip
    return built, [name for name in services if name not in LEFT_OUT]


def build(images, log):
    for image, args in images.items():
        started = time.monotonic()
        podman_compose.podman(
            "build", "--quiet", "--pull=never", "--format=docker", "--tag", image, *args, timeout=1800
        )
        # docker-compose asks the API for the name as written; podman's API looks for it on Docker Hub's name.
        podman_compose.podman("tag", image, standins.qualified(image))
        log(f"  built {image:<52} {time.monotonic() - started:5.0f}s")


def _setting(env_path, name):
    """A value of the generated .env (the admin's API token for the smoke flow)."""
    for line in pathlib.Path(env_path).read_text().splitlines():
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1]
    return None


def env_file(folder, tag):
    """.env.example with fresh passwords, this test's image tag, the ports on this machine only."""
    generated = {"POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "ADMIN_PASSWORD", "SERVICE_SECRET", "ADMIN_API_KEY"}
    fixed = {"IMAGE_TAG": tag, "BIND_ADDRESS": "127.0.0.1"}
    lines = []
    for example in (ROOT / ".env.example").read_text().splitlines():
        name = example.split("=", 1)[0]
        if name in generated:
            lines.append(f"{name}={'ipt_' if name == 'ADMIN_API_KEY' else ''}{secrets.token_hex(16)}")
        elif name in fixed:
            lines.append(f"{name}={fixed.pop(name)}")
        else:
            lines.append(example)
    lines += [f"{name}={value}" for name, value in fixed.items()]
    path = pathlib.Path(folder) / "compose-test.env"
    path.write_text("\n".join(lines) + "\n")
    return path


def ports_taken():
    ports = sorted({c.port for c in components.COMPONENTS if c.name != "nginx_exporter"})
    taken = []
    for port in ports:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                taken.append(port)
    return taken


def check_ports():
    taken = ports_taken()
    if taken:
        sys.exit(f"ports {taken} are in use on 127.0.0.1 (a `make up` stack?); compose publishes them: stop it first")


def build_all(tag, log=print):
    log("--- stand-in base images (cannot be pulled here; built from Debian bookworm packages, for this test only)")
    standins.ensure_all(log)
    images, services = ours(tag)
    log(f"--- building {len(images)} images with podman")
    build(images, log)
    for service, why in LEFT_OUT.items():
        log(f"--- left out: {service} ({why})")
    return images, services


def up(compose, api, timeout, log=print, driver=None):
    """Start the stack; podman's API and the health checks run until `down` (detached, for the pipeline)."""
    api.start()
    if driver is None:
        script = [sys.executable, str(HERE / "run.py"), "health-driver", "--project", compose.project,
                  "--env-file", str(compose.env_file), "--state", str(api.state)]  # fmt: skip
        podman_compose.start_detached(api.state, "health-driver", script)
    else:
        driver.start()
    log(f"--- docker-compose up ({', '.join(compose.services)}) against podman's API")
    started = time.monotonic()
    compose.run("up", "--detach", "--no-build", *compose.services, timeout=timeout)
    healthy, states = podman_compose.wait_healthy(compose, timeout)
    log(f"--- containers after {time.monotonic() - started:.0f}s")
    for service, state in states.items():
        log(f"  {service:<22} {state}")
    if not healthy:
        logs = compose.run("logs", "--tail=30", check=False).stdout
        raise SystemExit(f"not every container is healthy:\n{logs}")


def down(compose, api, log=print):
    log("--- teardown: docker-compose down --volumes")
    compose.run("down", "--volumes", "--remove-orphans", check=False)
    podman_compose.stop_detached(api.state, "health-driver")
    api.stop()


def test(options, log=print):
    """The whole check: build, up, smoke flow, users and sizes, down."""
    started = time.monotonic()
    check_ports()
    images, services = build_all(TAG, log)
    with tempfile.TemporaryDirectory(prefix="compose-test-") as folder:
        api = podman_compose.ApiService(folder)
        settings = env_file(folder, TAG)
        compose = podman_compose.Compose(ROOT, PROJECT, settings, api, services)
        driver = podman_compose.HealthDriver(compose)
        try:
            up(compose, api, options.timeout, log, driver)
            log("--- smoke flow through the containers")
            smoke.run(log, token=_setting(settings, "ADMIN_API_KEY"))
            report(compose, images, log)
        finally:
            driver.stop()
            down(compose, api, log)
    log(f"compose test passed in {time.monotonic() - started:.0f}s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="test", choices=("test", "build", "up", "down", "health-driver"))
    parser.add_argument("--timeout", type=int, default=600, help="seconds for every container to be healthy")
    # The pipeline's deployment (stages 3-5 without a Docker engine): its tag, project, settings and state folder.
    parser.add_argument("--tag", default=os.environ.get("IMAGE_TAG", TAG))
    parser.add_argument("--project", default=os.environ.get("COMPOSE_PROJECT_NAME", PROJECT))
    parser.add_argument("--env-file", type=pathlib.Path)
    parser.add_argument("--state", type=pathlib.Path, default=ROOT / "reports" / "podman")
    options = parser.parse_args(argv)
    if options.command == "test":
        return test(options)
    if options.command == "build":
        return build_all(options.tag) and None
    _, services = ours(options.tag)
    api = podman_compose.ApiService(options.state)
    compose = podman_compose.Compose(ROOT, options.project, options.env_file, api, services)
    if options.command == "up":
        check_ports()
        return up(compose, api, options.timeout)
    if options.command == "down":
        return down(compose, api)
    while True:  # health-driver: until `down` stops it
        podman_compose.run_health_checks(compose)
        time.sleep(3)


def report(compose, images, log):
    log("--- users (each container's main process, as the host sees it)")
    root_run = []
    for service, data in sorted(compose.containers().items()):
        if not data["State"]["Running"]:
            continue
        uid = podman_compose.non_root(data)
        log(f"  {service:<22} uid {uid}")
        if uid == 0:
            root_run.append(service)
    if root_run:
        raise SystemExit(f"running as root: {', '.join(root_run)}")
    log("--- image sizes")
    for image in images:
        log(f"  {image:<52} {podman_compose.image_size(image) / 1e6:6.0f} MB")
    for image in standins.STANDINS:
        name = standins.qualified(image)
        log(f"  {name:<52} {podman_compose.image_size(name) / 1e6:6.0f} MB  (stand-in)")


if __name__ == "__main__":
    sys.exit(main())
