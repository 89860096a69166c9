"""`python -m nativestack up|down|status|migrate`: the native stack for `make up` and `make down`.

Settings: DATABASE_URL (else the local server, else a private cluster), STACK_DIR
(default .stack), PORT_OFFSET (default 0), STACK_DATABASE (default incident_platform).
"""

import json
import os
import sys

from nativestack import postgres
from nativestack.stack import ROOT, Stack


def _stack():
    return Stack(os.environ.get("STACK_DIR", ROOT / ".stack"), int(os.environ.get("PORT_OFFSET", "0")))


def up():
    stack = _stack()
    server_url, started_private = postgres.find_server()
    if os.environ.get("DATABASE_URL"):
        database_url = os.environ["DATABASE_URL"]
    else:
        database_url = postgres.create_database(server_url, os.environ.get("STACK_DATABASE", "incident_platform"))
    postgres.migrate(database_url)
    stack.database_url = database_url
    stack.up()
    state = json.loads((stack.state / "stack.json").read_text())
    state["private_postgres"] = started_private
    (stack.state / "stack.json").write_text(json.dumps(state))
    print(f"stack is up (database {postgres.database_name(database_url)}, logs in {stack.state / 'logs'}):")
    for component in stack.components:
        print(f"  {component.name:<22} {stack.url(component.name)}")


def down():
    stack = _stack()
    state_file = stack.state / "stack.json"
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    stack.down()
    if state.get("private_postgres"):
        postgres.stop_private_cluster()
    print("stack is down")


def status():
    stack = _stack()
    if not stack.running():
        print("stack is not running")
        return 1
    print(stack.ctl("status", check=False).stdout, end="")
    return 0


def migrate():
    server_url, _ = postgres.find_server()
    url = os.environ.get("DATABASE_URL") or postgres.create_database(
        server_url, os.environ.get("STACK_DATABASE", "incident_platform")
    )
    postgres.migrate(url)
    print(f"migrations applied to {postgres.database_name(url)}")


COMMANDS = {"up": up, "down": down, "status": status, "migrate": migrate}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python -m nativestack {{{'|'.join(COMMANDS)}}}")
    sys.exit(COMMANDS[sys.argv[1]]() or 0)
