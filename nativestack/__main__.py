"""`python -m nativestack up|down|restart|status|migrate`: the native stack for `make up` and `make down`.

Settings: DATABASE_URL (else the local server, else a private cluster), STACK_DIR
(default .stack), PORT_OFFSET (default 0), STACK_DATABASE (default incident_platform,
or incident_platform_<offset> for a stack on other ports, so a second stack never
shares the first one's data), AUTH_REQUIRED (default true: the secrets it needs are
generated under the state folder when the environment has none, see nativestack.secrets), METRICS_TOKEN
(default none: /metrics open).

The state folder keeps the settings a stack was started with (stack.json), and the
checkout keeps a list of the state folders it started (.stacks): `down` and `status`
without STACK_DIR find every stack `up` started, whatever PORT_OFFSET or STACK_DIR it had.
"""

import json
import os
import pathlib
import sys

from nativestack import postgres, secrets
from nativestack.stack import ROOT, Stack

DEFAULT_DIR = ROOT / ".stack"
STARTED = ROOT / ".stacks"


def _offset():
    return int(os.environ.get("PORT_OFFSET", "0"))


def _default_database(offset):
    return "incident_platform" if offset == 0 else f"incident_platform_{offset}"


def _saved(state_dir):
    state_file = pathlib.Path(state_dir) / "stack.json"
    return json.loads(state_file.read_text()) if state_file.exists() else {}


def _started_dirs():
    """State folders `up` started from this checkout, oldest first (missing or stale ones included)."""
    if not STARTED.exists():
        return []
    return [pathlib.Path(line) for line in STARTED.read_text().splitlines() if line.strip()]


def _remember(state_dir, forget=False):
    dirs = [d for d in _started_dirs() if d != state_dir]
    if not forget:
        dirs.append(state_dir)
    STARTED.write_text("".join(f"{d}\n" for d in dirs))


def _stacks():
    """The stacks `down`/`status` mean: STACK_DIR's, else every running one `up` started, else the default."""
    if os.environ.get("STACK_DIR"):
        dirs = [pathlib.Path(os.environ["STACK_DIR"]).resolve()]
    else:
        dirs = [d for d in _started_dirs() if Stack(d).running()] or [DEFAULT_DIR]
    return [Stack(d, _saved(d).get("port_offset", 0)) for d in dirs]


def _auth_settings(stack, auth_required):
    """AUTH_REQUIRED and, with auth on, the secrets (from the environment or the state folder)."""
    if not auth_required:
        return {"AUTH_REQUIRED": "false"}, []
    found, _generated = secrets.settings(stack.state)
    return {"AUTH_REQUIRED": "true", **found}, secrets.describe(stack.state)


def _start(stack, database_url=None, auth_required=None):
    """Migrate, start, record; on a failed start the stack stops and the reasons go to stderr."""
    if auth_required is None:
        auth_required = os.environ.get("AUTH_REQUIRED", "true").strip().lower() not in ("0", "false", "no", "off")
    auth_settings, sign_in = _auth_settings(stack, auth_required)
    stack.settings.update(auth_settings)
    if os.environ.get("METRICS_TOKEN"):  # /metrics asks for it; the stack's Prometheus sends it (docs/security.md)
        stack.settings["METRICS_TOKEN"] = os.environ["METRICS_TOKEN"]
    server_url, started_private = postgres.find_server()
    if not database_url:
        database_url = os.environ.get("DATABASE_URL") or postgres.create_database(
            server_url, os.environ.get("STACK_DATABASE") or _default_database(stack.port_offset)
        )
    postgres.migrate(database_url)
    stack.database_url = database_url
    try:
        stack.up()
    except RuntimeError as error:  # NotHealthy, or ports another stack holds
        if started_private:
            postgres.stop_private_cluster()
        sys.stderr.write(f"the stack did not start, and what had started is stopped again:\n{error}\n")
        return 1
    state = _saved(stack.state)
    state["private_postgres"] = started_private
    state["auth_required"] = auth_required
    (stack.state / "stack.json").write_text(json.dumps(state))
    _remember(stack.state)
    print(
        f"stack is up (port offset {stack.port_offset}, database {postgres.database_name(database_url)},"
        f" state and logs in {stack.state}):"
    )
    for component in stack.components:
        print(f"  {component.name:<22} {stack.url(component.name)}")
    for line in sign_in or ["AUTH_REQUIRED=false: no sign-in, every request acts as an anonymous admin"]:
        print(line)
    return 0


def up():
    stack = Stack(os.environ.get("STACK_DIR", DEFAULT_DIR), _offset())
    if stack.running():
        saved = _saved(stack.state)
        print(
            f"stack is already running in {stack.state} (port offset {saved.get('port_offset')}, database"
            f" {postgres.database_name(saved.get('database_url') or '')}): nothing changed; `make restart`"
            " restarts it"
        )
        return 0
    return _start(stack)


def restart():
    """Stop and start again with the settings the stack was started with."""
    code = 0
    for stack in _stacks():
        saved = _saved(stack.state)
        stack.down()
        code = _start(stack, saved.get("database_url"), saved.get("auth_required", True)) or code
    return code


def down():
    for stack in _stacks():
        state = _saved(stack.state)
        stack.down()
        if state.get("private_postgres"):
            postgres.stop_private_cluster()
        _remember(stack.state, forget=True)
        print(f"stack is down ({stack.state})")


def status():
    running = [stack for stack in _stacks() if stack.running()]
    if not running:
        print("stack is not running")
        return 1
    for stack in running:
        saved = _saved(stack.state)
        print(f"{stack.state} (port offset {stack.port_offset}, database "
              f"{postgres.database_name(saved.get('database_url') or '')}):")  # fmt: skip
        print(stack.ctl("status", check=False).stdout, end="")
    return 0


def migrate():
    server_url, _ = postgres.find_server()
    url = os.environ.get("DATABASE_URL") or postgres.create_database(
        server_url, os.environ.get("STACK_DATABASE") or _default_database(_offset())
    )
    postgres.migrate(url)
    print(f"migrations applied to {postgres.database_name(url)}")


COMMANDS = {"up": up, "down": down, "restart": restart, "status": status, "migrate": migrate}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python -m nativestack {{{'|'.join(COMMANDS)}}}")
    sys.exit(COMMANDS[sys.argv[1]]() or 0)
