#!/usr/bin/env bash
# Remove what stage 4 deployed (run-pipeline.sh calls it on exit; Jenkins in post { always }).
# Docker: the pipeline's compose project with its volumes. Native: the stack, then its database.
# Safe to run when nothing was deployed.
# shellcheck source=scripts/pipeline/lib.sh
source "$(dirname "$0")/lib.sh"

[[ -f "$DEPLOY_TARGET_FILE" ]] || {
    echo "cleanup: nothing deployed"
    exit 0
}
target="$(cat "$DEPLOY_TARGET_FILE")"
if [[ $target == docker ]]; then
    step "cleanup: docker compose down (project $COMPOSE_PROJECT_NAME, volumes too)"
    compose --env-file "$(pipeline_env_file)" down --volumes --remove-orphans
elif [[ $target == podman ]]; then
    step "cleanup: docker-compose down on podman (project $COMPOSE_PROJECT_NAME, volumes too)"
    podman_compose down
else
    step "cleanup: native stack down (make down), database $STACK_DATABASE dropped"
    # The database first, while the stack's PostgreSQL (maybe a private one) still runs.
    python - <<'PY' || echo "cleanup: could not drop database $STACK_DATABASE (see above); stopping the stack anyway"
import os

from nativestack import postgres

server, _ = postgres.find_server(start_private=False)
postgres.drop_database(server, os.environ["STACK_DATABASE"])
print(f"dropped database {os.environ['STACK_DATABASE']}")
PY
    make down
fi
rm -f "$DEPLOY_TARGET_FILE"
