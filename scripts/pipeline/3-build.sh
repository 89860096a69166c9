#!/usr/bin/env bash
# Stage 3, build: every image docker-compose.yml names, tagged with the git commit (IMAGE_TAG).
# Without a Docker engine podman builds them (stand-in bases for what cannot be pulled, see docs/delivery.md);
# without either nothing can be built: the stage says so, checks the compose file and the image tags it
# would build, and stage 4 deploys the native stack instead.
# shellcheck source=scripts/pipeline/lib.sh
source "$(dirname "$0")/lib.sh"
require_venv

env_file="$(pipeline_env_file)"
step "docker-compose.yml (with $env_file)"
compose --env-file "$env_file" config -q
mapfile -t images < <(compose --env-file "$env_file" config | sed -n 's/^ *image: \(incident-platform\/.*\)$/\1/p' | sort -u)
printf '  %s\n' "${images[@]}"

if [[ "$(deploy_target)" == docker ]]; then
    step "docker compose build: ${#images[@]} images, tag $IMAGE_TAG"
    compose --env-file "$env_file" build --pull
    docker image ls --filter "reference=incident-platform/*:$IMAGE_TAG"
    echo "built ${#images[@]} images tagged $IMAGE_TAG" >"$REPORTS/stage-3.summary"
elif [[ "$(deploy_target)" == podman ]]; then
    step "no Docker engine: podman build, ${#images[@]} images, tag $IMAGE_TAG"
    podman_compose build
    echo "built ${#images[@]} images with podman, tagged $IMAGE_TAG (stand-in bases)" >"$REPORTS/stage-3.summary"
else
    step "no Docker engine: images NOT built"
    echo "docker info found no engine, so the ${#images[@]} images above were not built here; the Dockerfiles"
    echo "were linted in stage 1. Stage 4 deploys the native stack (make up) from this checkout instead."
    echo "no Docker engine: ${#images[@]} images not built (compose file checked)" >"$REPORTS/stage-3.summary"
fi
