# shellcheck shell=bash
# Shared by the stage scripts (sourced, never run): paths, the virtualenv, the files each linter reads,
# and where stages 3-5 deploy (a Docker engine when there is one, else the native `make up` stack).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# The virtualenv that `make install` builds (stage 1); VENV points elsewhere to reuse another one.
export VENV="${VENV:-$ROOT/.venv}"
export PATH="$VENV/bin:$PATH"
export REPORTS="$ROOT/reports"
mkdir -p "$REPORTS"

# Images are tagged with the commit they were built from.
IMAGE_TAG="${IMAGE_TAG:-$(git rev-parse --short=12 HEAD)}"
export IMAGE_TAG
# The pipeline's own throwaway deployment: its compose project, or its native database; both removed at cleanup.
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-incident-platform-pipeline}"
export STACK_DATABASE="${STACK_DATABASE:-incident_platform_pipeline}"
export PORT_OFFSET="${PORT_OFFSET:-0}"
# A state folder of its own: `make up` leaves a developer's running .stack alone (and says so) otherwise.
export STACK_DIR="${STACK_DIR:-$ROOT/.stack-pipeline}"
# Written by stage 4, read by stage 5 and cleanup: "docker" or "native".
export DEPLOY_TARGET_FILE="$REPORTS/deploy-target"
# Settings of the pipeline's deployment (and of `make up`): the tests of stage 1 must not inherit them.
DEPLOYMENT_VARIABLES=(IMAGE_TAG COMPOSE_PROJECT_NAME STACK_DATABASE PORT_OFFSET STACK_DIR DEPLOY_TARGET)

# Run a command (env's NAME=VALUE arguments first, if any) without the deployment settings.
without_deployment_settings() {
    local unset=() name
    for name in "${DEPLOYMENT_VARIABLES[@]}"; do unset+=(-u "$name"); done
    env "${unset[@]}" "$@"
}

step() {
    printf '\n--- %s\n' "$*"
}

fail() {
    printf 'FAILED: %s\n' "$*" >&2
    exit 1
}

require_venv() {
    [[ -x "$VENV/bin/python" ]] || fail "no virtualenv at $VENV: run stage 1 (or 'make install') first"
}

# Every file git knows or would add (tracked, plus untracked but not ignored), as it is in the working tree.
repo_files() {
    git ls-files --cached --others --exclude-standard | while IFS= read -r path; do
        if [[ -f "$path" ]]; then printf '%s\n' "$path"; fi
    done
}

# Shell scripts: *.sh, and extensionless files with a sh/bash shebang (.ci/run).
shell_scripts() {
    repo_files | while IFS= read -r path; do
        case "${path##*/}" in
            *.sh) printf '%s\n' "$path" ;;
            *.*) ;;
            *) if head -n 1 "$path" | grep -Eq '^#!.*[/ ](ba)?sh$'; then printf '%s\n' "$path"; fi ;;
        esac
    done
}

yaml_files() {
    repo_files | grep -E '\.ya?ml$' || true
}

dockerfiles() {
    repo_files | grep -E '(^|/)Dockerfile$' || true
}

# The service packages that ship as images: what docker-compose.yml builds from ./Dockerfile (SERVICE: ...).
service_packages() {
    sed -n 's/^ *SERVICE: *\([a-z_]*\) *$/\1/p' docker-compose.yml | sort -u
}

docker_engine_available() {
    command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

# Without a Docker engine, podman runs the compose file as well (scripts/compose-test/run.py: stand-in bases,
# podman build, docker-compose against podman's API); it needs root here (runc, CNI networking).
podman_available() {
    command -v podman >/dev/null 2>&1 && command -v docker-compose >/dev/null 2>&1 \
        && command -v mmdebstrap >/dev/null 2>&1 && [[ $EUID -eq 0 ]]
}

# DEPLOY_TARGET=docker|podman|native forces one; by default Docker when an engine answers, else podman when
# it is installed (scripts/install-prerequisites compose), else the native stack.
deploy_target() {
    case "${DEPLOY_TARGET:-auto}" in
        docker | podman | native) printf '%s\n' "$DEPLOY_TARGET" ;;
        auto)
            if docker_engine_available; then
                echo docker
            elif podman_available; then
                echo podman
            else
                echo native
            fi
            ;;
        *) fail "DEPLOY_TARGET must be docker, podman, native or auto, not '$DEPLOY_TARGET'" ;;
    esac
}

# The podman deployment's driver, with the pipeline's project, tag, settings and state folder.
podman_compose() {
    python scripts/compose-test/run.py "$1" --project "$COMPOSE_PROJECT_NAME" --tag "$IMAGE_TAG" \
        --env-file "$(pipeline_env_file)" --state "$REPORTS/podman"
}

# Compose v2 (`docker compose`) when present, else Debian's docker-compose 1.29.
compose() {
    if docker compose version >/dev/null 2>&1; then
        docker compose "$@"
    else
        docker-compose "$@"
    fi
}

# The settings of the pipeline's throwaway deployment: .env.example with fresh random passwords (made once
# per run, under reports/). Variables set in the environment (e.g. Jenkins credentials) still win.
pipeline_env_file() {
    local env_file="$REPORTS/pipeline.env"
    if [[ ! -f "$env_file" ]]; then
        python - "$ROOT/.env.example" "$env_file" <<'PY'
import secrets
import sys

source, destination = sys.argv[1:]
generated = {"POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "ADMIN_PASSWORD", "SERVICE_SECRET", "ADMIN_API_KEY"}
with open(source) as example, open(destination, "w") as out:
    for line in example:
        name = line.split("=", 1)[0]
        value = ("ipt_" if name == "ADMIN_API_KEY" else "") + secrets.token_hex(24)
        out.write(f"{name}={value}\n" if name in generated else line)
PY
        chmod 600 "$env_file"
    fi
    printf '%s\n' "$env_file"
}
