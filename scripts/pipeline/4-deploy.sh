#!/usr/bin/env bash
# Stage 4, deploy: the images of stage 3 with docker compose (a project of the pipeline's own), or, without
# a Docker engine, the native stack (make up) on a database of the pipeline's own. Cleanup removes either.
# shellcheck source=scripts/pipeline/lib.sh
source "$(dirname "$0")/lib.sh"
require_venv

target="$(deploy_target)"
echo "$target" >"$DEPLOY_TARGET_FILE"
if [[ $target == docker ]]; then
    step "docker compose up: project $COMPOSE_PROJECT_NAME, tag $IMAGE_TAG"
    compose --env-file "$(pipeline_env_file)" up --detach --no-build --remove-orphans
    compose --env-file "$(pipeline_env_file)" ps
    echo "docker compose project $COMPOSE_PROJECT_NAME (tag $IMAGE_TAG)" >"$REPORTS/stage-4.summary"
elif [[ $target == podman ]]; then
    step "no Docker engine: docker-compose up against podman, project $COMPOSE_PROJECT_NAME, tag $IMAGE_TAG"
    podman_compose up
    echo "compose project $COMPOSE_PROJECT_NAME on podman (tag $IMAGE_TAG; no Grafana)" >"$REPORTS/stage-4.summary"
else
    step "no Docker engine: deploying the native stack (make up), port offset $PORT_OFFSET, database $STACK_DATABASE"
    make up
    echo "native stack (no Docker engine): port offset $PORT_OFFSET, database $STACK_DATABASE" \
        >"$REPORTS/stage-4.summary"
fi
