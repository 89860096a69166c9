"""docker-compose against podman: its Docker-compatible API, the project's containers and their health.

Without systemd podman never runs a container's HEALTHCHECK by itself, so `HealthDriver` runs
`podman healthcheck run` for every container of the project while compose waits for them.
"""

import json
import os
import pathlib
import signal
import subprocess
import threading
import time


def podman(*args, check=True, timeout=600):
    return subprocess.run(["podman", *args], check=check, capture_output=True, text=True, timeout=timeout)


def start_detached(state, name, argv):
    """A process that outlives this one (the pipeline's stages are separate scripts); its pid in state/name.pid."""
    state = pathlib.Path(state)
    state.mkdir(parents=True, exist_ok=True)
    log = (state / f"{name}.log").open("a")
    process = subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    (state / f"{name}.pid").write_text(str(process.pid))
    return process


def stop_detached(state, name):
    pid_file = pathlib.Path(state) / f"{name}.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            os.kill(pid, 0)
            time.sleep(0.2)
    except (ProcessLookupError, ChildProcessError):
        pass
    pid_file.unlink()


class ApiService:
    """`podman system service` on a socket of its own (under `state`); DOCKER_HOST for docker-compose."""

    def __init__(self, state):
        self.state = pathlib.Path(state)
        self.socket = self.state / "podman.sock"

    @property
    def docker_host(self):
        return f"unix://{self.socket}"

    def start(self):
        if self.socket.exists():
            self.socket.unlink()
        process = start_detached(
            self.state, "podman-service", ["podman", "system", "service", "--time=0", self.docker_host]
        )
        deadline = time.monotonic() + 30
        while not self.socket.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"podman system service did not start; see {self.state / 'podman-service.log'}")
            time.sleep(0.2)
        return self

    def stop(self):
        stop_detached(self.state, "podman-service")


class Compose:
    def __init__(self, root, project, env_file, api, services):
        self.root, self.project, self.env_file, self.services = root, project, env_file, services
        self.env = {**os.environ, "DOCKER_HOST": api.docker_host, "COMPOSE_PROJECT_NAME": project}

    def run(self, *args, timeout=900, check=True):
        command = ["docker-compose", "--project-directory", str(self.root), "--env-file", str(self.env_file), *args]
        result = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=timeout, check=False)
        if check and result.returncode != 0:
            raise RuntimeError(f"docker-compose {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def containers(self):
        """{service: inspect data} of the project's containers, running or not."""
        listed = podman(
            "ps", "--all", "--format", "json", "--filter", f"label=com.docker.compose.project={self.project}"
        )
        found = {}
        for entry in json.loads(listed.stdout or "[]"):
            data = json.loads(podman("inspect", entry["Id"]).stdout)[0]
            found[data["Config"]["Labels"]["com.docker.compose.service"]] = data
        return found


def health(data):
    """'healthy', 'unhealthy', 'starting', or None for a container without a health check."""
    state = data["State"]
    status = state.get("Health", {}).get("Status") or state.get("Healthcheck", {}).get("Status")
    has_check = bool(data["Config"].get("Healthcheck", {}).get("Test"))
    return (status or "starting") if has_check else None


def run_health_checks(compose):
    """One round: `podman healthcheck run` for every running container of the project that has a check."""
    for data in compose.containers().values():
        if data["State"]["Running"] and data["Config"].get("Healthcheck", {}).get("Test"):
            podman("healthcheck", "run", data["Id"], check=False, timeout=60)


class HealthDriver(threading.Thread):
    """Runs the project's health checks every few seconds (what systemd timers would do), in a thread."""

    def __init__(self, compose, every=3):
        super().__init__(daemon=True)
        self.compose, self.every = compose, every
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            run_health_checks(self.compose)
            self.stopped.wait(self.every)

    def stop(self):
        self.stopped.set()
        self.join(timeout=60)


def wait_healthy(compose, timeout, log=print):
    """Every service running and healthy (or, without a check, running); `migrate` exited 0."""
    deadline = time.monotonic() + timeout
    while True:
        containers = compose.containers()
        states = {}
        for service in compose.services:
            data = containers.get(service)
            if data is None:
                states[service] = "not created"
            elif service == "migrate":
                exited = data["State"]["Status"] == "exited"
                states[service] = f"exited ({data['State']['ExitCode']})" if exited else data["State"]["Status"]
            elif not data["State"]["Running"]:
                states[service] = data["State"]["Status"]
            else:
                states[service] = health(data) or "running (no health check)"
        done = all(s in {"healthy", "running (no health check)", "exited (0)"} for s in states.values())
        if done or time.monotonic() > deadline:
            return done, states
        time.sleep(3)


def non_root(data):
    """(uid of the container's main process, as the host sees it) - root is 0."""
    status = pathlib.Path(f"/proc/{data['State']['Pid']}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])


def image_size(image):
    return int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip())
