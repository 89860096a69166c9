"""Stand-ins for the base images that cannot be pulled here, built from Debian packages (for the compose test).

Each recipe in standins/<name>.sh names its Debian packages (`# packages:`) and the image settings
(`# config:`, podman import --change lines); mmdebstrap builds a bookworm root with them, the recipe's
customize hook adds what the upstream image's interface needs (users, entrypoints), and `podman import`
tags the result with the upstream image's name, so docker-compose.yml and the Dockerfiles run unchanged.

Built roots are cached as tarballs under /var/cache/incident-platform, keyed by a hash of the recipe, so a
second run only imports them.
"""

import hashlib
import pathlib
import subprocess
import time

HERE = pathlib.Path(__file__).resolve().parent
RECIPES = HERE / "standins"
# Root-owned, kept across runs and reboots (the compose test runs as root).
CACHE = pathlib.Path("/var/cache/incident-platform/standins")
LABEL = "incident-platform.standin-recipe"

# upstream image (as docker-compose.yml and the Dockerfiles name it) -> recipe
STANDINS = {
    "python:3.11-slim-bookworm": "python",
    "node:20.19.5-alpine": "node",
    "nginxinc/nginx-unprivileged:1.28.0-alpine": "nginx-unprivileged",
    "postgres:15.10-bookworm": "postgres",
    "prom/prometheus:v2.53.2": "prometheus",
    "prom/alertmanager:v0.27.0": "alertmanager",
    "nginx/nginx-prometheus-exporter:1.3.0": "nginx-exporter",
}


def qualified(image):
    """The name podman stores `image` under when Docker Hub is meant (docker.io/library/... for official ones)."""
    first = image.split("/", 1)[0]
    if "/" in image and ("." in first or ":" in first or first == "localhost"):
        return image
    return f"docker.io/{image}" if "/" in image else f"docker.io/library/{image}"


def recipe_hash(recipe):
    digest = hashlib.sha256()
    text = (RECIPES / f"{recipe}.sh").read_text()
    used = [path for path in sorted(RECIPES.glob("*-entrypoint.sh")) if path.name in text]
    for path in [RECIPES / f"{recipe}.sh", RECIPES / "common.sh", *used]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    if recipe == "node":  # the machine's Node and npm go in: a new version of either is a new recipe
        for program in ("node", "npm"):
            version = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)
            digest.update(version.stdout.encode())
    if recipe in {"python", "node"}:  # they carry the machine's CA bundle (see the recipes)
        digest.update(pathlib.Path("/etc/ssl/certs/ca-certificates.crt").read_bytes())
    return digest.hexdigest()[:16]


def _header(recipe, key):
    prefix = f"# {key}:"
    lines = (RECIPES / f"{recipe}.sh").read_text().splitlines()
    return [line[len(prefix) :].strip() for line in lines if line.startswith(prefix)]


def _podman(*args, check=True):
    return subprocess.run(["podman", *args], check=check, capture_output=True, text=True)


def _current(image, wanted):
    found = _podman("image", "inspect", "--format", f'{{{{index .Labels "{LABEL}"}}}}', image, check=False)
    return found.returncode == 0 and found.stdout.strip() == wanted


def ensure(image, log=print):
    """Make `image` exist locally as a stand-in built from its recipe; returns what was done."""
    recipe = STANDINS[image]
    wanted = recipe_hash(recipe)
    name = qualified(image)
    if _current(name, wanted):
        return "cached image"
    CACHE.mkdir(parents=True, exist_ok=True)
    tarball = CACHE / f"{recipe}-{wanted}.tar"
    done = "cached root"
    if not tarball.exists():
        started = time.monotonic()
        packages = ",".join(["passwd", *" ".join(_header(recipe, "packages")).split()])
        partial = tarball.with_suffix(".partial.tar")
        subprocess.run(
            [
                "mmdebstrap", "--quiet", "--variant=minbase", f"--include={packages}",
                "--dpkgopt=path-exclude=/usr/share/doc/*", "--dpkgopt=path-exclude=/usr/share/man/*",
                f'--customize-hook=bash "{RECIPES / recipe}.sh" "$1"',
                "bookworm", str(partial),
            ],
            check=True,
        )  # fmt: skip
        partial.rename(tarball)
        done = f"built root in {time.monotonic() - started:.0f}s"
    changes = [f"LABEL {LABEL}={wanted}", *_header(recipe, "config")]
    args = [arg for change in changes for arg in ("--change", change)]
    _podman("import", *args, str(tarball), name)
    for old in CACHE.glob(f"{recipe}-*.tar"):
        if old != tarball:
            old.unlink()
    return done


def ensure_all(log=print):
    for image in STANDINS:
        log(f"  stand-in {image:<45} {ensure(image, log)}")
