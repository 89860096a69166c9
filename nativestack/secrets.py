"""The secrets of a native stack with auth on: taken from the environment, else generated once and kept
under the state folder (`secrets/`, readable by its owner only), so `make restart` finds them again.

ADMIN_PASSWORD (the first admin's, ADMIN_EMAIL default admin@localhost), ADMIN_API_KEY (that admin's API
token, for scripts and the README's curl walk) and SERVICE_SECRET (signs the calls between services).
"""

import os
import pathlib
import secrets

GENERATED = {
    "ADMIN_PASSWORD": ("admin-password", lambda: secrets.token_urlsafe(18)),
    "ADMIN_API_KEY": ("admin-api-key", lambda: "ipt_" + secrets.token_urlsafe(32)),
    "SERVICE_SECRET": ("service-secret", lambda: secrets.token_urlsafe(32)),
}


def folder(state_dir):
    return pathlib.Path(state_dir) / "secrets"


def settings(state_dir, environ=None):
    """{name: value} for the stack's services, and the names that were generated now (to say where)."""
    environ = os.environ if environ is None else environ
    found, generated = {}, []
    for name, (file_name, make) in GENERATED.items():
        if environ.get(name):
            found[name] = environ[name]
            continue
        path = folder(state_dir) / file_name
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(make() + "\n")
            generated.append(name)
        found[name] = path.read_text().strip()
    return found, generated


def describe(state_dir, environ=None):
    """The lines `make up` prints: how to sign in and where the secrets are."""
    environ = os.environ if environ is None else environ
    where = folder(state_dir)
    email = environ.get("ADMIN_EMAIL") or "admin@localhost"
    password = (
        "ADMIN_PASSWORD (from the environment)" if environ.get("ADMIN_PASSWORD") else where / "admin-password"
    )  # pragma: allowlist secret
    token = "ADMIN_API_KEY (from the environment)" if environ.get("ADMIN_API_KEY") else where / "admin-api-key"
    return [
        f"sign in as {email}: the password is in {password}",
        f"API token of that admin (Authorization: Bearer ...): {token}",
    ]
