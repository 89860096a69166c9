"""One native stack: a state folder, a port offset, a database, and supervisord running the components."""

import dataclasses
import json
import os
import pathlib
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from nativestack import components as registry
from nativestack import postgres

ROOT = postgres.ROOT
BIN = pathlib.Path(sys.executable).parent
_VARIABLE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


class Stack:
    def __init__(self, state_dir, port_offset=0, database_url=None, components=None, settings=None):
        self.state = pathlib.Path(state_dir).resolve()
        self.settings = dict(settings or {})  # extra environment for every component (the tests' allow-lists)
        self.port_offset = port_offset
        self.database_url = database_url
        self.components = components or list(registry.COMPONENTS)

    # --- addresses ------------------------------------------------------------------------

    def port(self, name):
        mine = {component.name: component for component in self.components}
        return (mine.get(name) or registry.by_name()[name]).port + self.port_offset

    def url(self, name):
        return f"http://127.0.0.1:{self.port(name)}"

    def host_map(self):
        """docker-compose addresses (`incident-management:8002`) to native ones (`127.0.0.1:18002`)."""
        return {f"{c.docker_host}:{c.port}": f"127.0.0.1:{c.port + self.port_offset}" for c in self.components}

    def variables(self):
        """Values for ${NAME} in templates and the services' environment: URL and address of each component."""
        values = {"DATABASE_URL": self.database_url or "", "STATE_DIR": str(self.state), "ROOT_DIR": str(ROOT)}
        values["METRICS_TOKEN"] = self.settings.get("METRICS_TOKEN", "")  # the gateway's nginx asks for it
        for component in self.components:
            key = component.name.upper()
            values[f"{key}_URL"] = self.url(component.name)
            values[f"{key}_ADDR"] = f"127.0.0.1:{self.port(component.name)}"
            values[f"{key}_PORT"] = str(self.port(component.name))
        return values

    # --- lifecycle ------------------------------------------------------------------------

    def up(self, timeout=60):
        """Start every component under supervisord and return once each health check answers 200."""
        if self.running():
            self.down()
        self._check_ports_free()
        for folder in ("logs", "metrics", "run"):
            (self.state / folder).mkdir(parents=True, exist_ok=True)
        (self.state / "stack.json").write_text(
            json.dumps({"port_offset": self.port_offset, "database_url": self.database_url})
        )
        for component in self.components:
            for source, destination in component.templates:
                self.render(ROOT / source, self.state / destination, component.template_defaults)
        self._write_metrics_token()
        conf = self.state / "supervisord.conf"
        conf.write_text(self._supervisord_conf())
        subprocess.run([str(BIN / "supervisord"), "-c", str(conf)], check=True)
        try:
            self.wait_healthy(timeout=timeout)
        except NotHealthy:
            # Half a stack is worse than none: it holds the ports and answers some health checks.
            self.down()
            raise
        return self

    def _write_metrics_token(self):
        """Prometheus sends METRICS_TOKEN from this file (`credentials_file: metrics-token` beside its config;
        empty when no token is set, and an empty one is ignored)."""
        path = self.state / "prometheus" / "metrics-token"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(self.settings.get("METRICS_TOKEN", ""))

    def _check_ports_free(self):
        """Refuse to start over another stack: its services would answer our health checks."""
        taken = [f"{c.name} ({self.port(c.name)})" for c in self.components if _port_taken(self.port(c.name))]
        if taken:
            raise RuntimeError(
                f"ports already in use: {', '.join(taken)}; another stack is running (stop it, or set PORT_OFFSET)"
            )

    def down(self):
        """Stop supervisord and everything it started."""
        pid_file = self.state / "supervisord.pid"
        if not pid_file.exists():
            return
        self.ctl("shutdown", check=False)
        deadline = time.monotonic() + 30
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)

    def running(self):
        return (self.state / "supervisord.pid").exists() and self.ctl("pid", check=False).returncode == 0

    def stop(self, name):
        self.ctl("stop", name)

    def start(self, name, timeout=30):
        self.ctl("start", name)
        self.wait_healthy([name], timeout)

    def ctl(self, *args, check=True):
        return subprocess.run(
            [str(BIN / "supervisorctl"), "-c", str(self.state / "supervisord.conf"), *args],
            check=check,
            capture_output=True,
            text=True,
        )

    def wait_healthy(self, names=None, timeout=60):
        """Return once every component (or those named) answers 200; raise NotHealthy naming why not.

        Stops waiting early when supervisord gives a component up (FATAL: it would never answer).
        """
        pending = {c.name: c for c in self.components if names is None or c.name in names}
        deadline = time.monotonic() + timeout
        next_look = 0
        while pending:
            for name, component in list(pending.items()):
                if _answers_200(f"{self.url(name)}{component.health_path}"):
                    del pending[name]
            if not pending:
                return
            states = {}
            if time.monotonic() > next_look:
                states = self.supervisor_states()
                next_look = time.monotonic() + 1
            given_up = [name for name in pending if states.get(name, "").split(" ", 1)[0] == "FATAL"]
            if given_up or time.monotonic() > deadline:
                raise NotHealthy(self, list(pending), timeout, given_up)
            time.sleep(0.3)

    def supervisor_states(self):
        """{program: supervisorctl's state line less the name}, e.g. "FATAL can't find command '...'"."""
        found = {}
        for line in self.ctl("status", check=False).stdout.splitlines():
            name, _, rest = line.partition(" ")
            found[name] = rest.strip()
        return found

    def log_tail(self, name, lines=30):
        path = self.state / "logs" / f"{name}.log"
        if not path.exists():
            return f"--- {name}: no log"
        return f"--- {name} ({path}):\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # --- configuration --------------------------------------------------------------------

    def render(self, source, destination, defaults=None):
        """Copy a config file (or folder) shared with Docker, with native hosts, ports and ${VARIABLES}.

        `defaults` give values to ${VARIABLES} the stack has none for (the stack's own win).
        """
        if source.is_dir():
            shutil.rmtree(destination, ignore_errors=True)
            for path in source.rglob("*"):
                if path.is_file():
                    self.render(path, destination / path.relative_to(source), defaults)
            return
        text = source.read_text()
        for docker_address, native_address in self.host_map().items():
            text = text.replace(docker_address, native_address)
        values = {**(defaults or {}), **self.variables()}
        text = _VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), text)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text)

    def _format(self, text, component):
        ports = {c.name: self.port(c.name) for c in self.components}
        return text.format(port=self.port(component.name), state=self.state, root=ROOT, bin=BIN, ports=ports)

    def environment(self, component):
        """The environment a component runs with: every component's address, then its own settings."""
        env = {**self.variables(), **{k: self._format(v, component) for k, v in component.environment.items()}}
        env.update(self.settings)
        env["PATH"] = f"{BIN}:{os.environ.get('PATH', '')}"
        if "PROMETHEUS_MULTIPROC_DIR" in env:
            pathlib.Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
        return env

    def start_replica(self, name, port, **overrides):
        """Another instance of a component on `port`, outside supervisord (for replica tests); returns the Popen."""
        component = registry.by_name()[name]
        replica = dataclasses.replace(component, name=f"{name}_replica_{port}")
        env = {**self.environment(component), "BIND": f"127.0.0.1:{port}", **overrides}
        env["PROMETHEUS_MULTIPROC_DIR"] = str(self.state / "metrics" / replica.name)
        pathlib.Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
        log = (self.state / "logs" / f"{replica.name}.log").open("ab")
        # No shell in between: terminate() must reach gunicorn itself, or the replica outlives the test.
        command = shlex.split(self._format(component.command, component))
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while not _answers_200(f"http://127.0.0.1:{port}{component.health_path}"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"replica of {name} did not start; see {log.name}")
            time.sleep(0.2)
        return process

    def _supervisord_conf(self):
        state = self.state
        sections = [
            f"[supervisord]\nlogfile={state}/logs/supervisord.log\npidfile={state}/supervisord.pid\n"
            f"childlogdir={state}/logs\nloglevel=info\n",
            f"[unix_http_server]\nfile={state}/run/supervisor.sock\n",
            f"[supervisorctl]\nserverurl=unix://{state}/run/supervisor.sock\n",
            "[rpcinterface:supervisor]\n"
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n",
        ]
        for component in self.components:
            sections.append(
                f"[program:{component.name}]\n"
                f"command={self._format(component.command, component)}\n"
                f"directory={ROOT}\n"
                f"environment={_supervisor_environment(self.environment(component))}\n"
                "autorestart=true\nstartsecs=1\nstopasgroup=true\nkillasgroup=true\nstopwaitsecs=15\n"
                f"stdout_logfile={state}/logs/{component.name}.log\nredirect_stderr=true\n"
                "stdout_logfile_maxbytes=20MB\nstdout_logfile_backups=2\n"
            )
        return "\n".join(sections)


class NotHealthy(RuntimeError):
    """Components that did not come up, each with supervisord's state line and the end of its log."""

    def __init__(self, stack, pending, timeout, given_up=()):
        self.pending = pending
        states = stack.supervisor_states()
        why = "supervisord gave up on " + ", ".join(given_up) if given_up else f"not healthy after {timeout}s"
        lines = [f"{why}: {', '.join(pending)}"]
        for name in pending:
            lines.append(f"  {name}: {states.get(name) or 'no state from supervisord'}")
            lines.append(stack.log_tail(name, lines=10))
        super().__init__("\n".join(lines))


def _supervisor_environment(env):
    return ",".join(f'{key}="{_escape(value)}"' for key, value in sorted(env.items()))


def _escape(value):
    return str(value).replace("%", "%%").replace('"', '\\"')


def _port_taken(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _answers_200(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own localhost URL)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False
