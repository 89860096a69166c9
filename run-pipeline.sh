#!/usr/bin/env bash
# The delivery pipeline, start to finish, on this machine: ./run-pipeline.sh [stage ...]
#
#   1 quality   lint (ruff, shellcheck, yamllint, hadolint) and every test, coverage gated (make test)
#   2 security  secrets in the working tree and the git history; bandit
#   3 build     the images, tagged with the git commit
#   4 deploy    docker compose up; without a Docker engine, the native stack (make up)
#   5 verify    every /health, a smoke alert that becomes an incident, Prometheus scraping
#
# Each stage is a script in scripts/pipeline/ (the Jenkinsfile calls the same ones). The first failing
# stage stops the run; whatever was deployed is removed on exit (scripts/pipeline/cleanup.sh), and a
# summary with each stage's time closes the output. Name stages (numbers or names) to run only those.
# Settings: PORT_OFFSET / STACK_DIR / STACK_DATABASE (native deploy), DEPLOY_TARGET=docker|native,
# TEST_STACK_PORT_OFFSET / TEST_STACK_DIR (the tests' own stack), VENV.
set -euo pipefail
cd "$(dirname "$0")"

STAGES=(quality security build deploy verify)
declare -A TITLES=(
    [quality]="1/5 code quality and tests"
    [security]="2/5 security: secret scanning and static analysis"
    [build]="3/5 build images"
    [deploy]="4/5 deploy"
    [verify]="5/5 post-deployment verification"
)

selected=()
for wanted in "$@"; do
    case "$wanted" in
        1 | quality) selected+=(quality) ;;
        2 | security) selected+=(security) ;;
        3 | build) selected+=(build) ;;
        4 | deploy) selected+=(deploy) ;;
        5 | verify) selected+=(verify) ;;
        *)
            echo "unknown stage '$wanted'; stages: 1 quality, 2 security, 3 build, 4 deploy, 5 verify" >&2
            exit 2
            ;;
    esac
done
((${#selected[@]})) || selected=("${STAGES[@]}")

stage_number() {
    local index
    for index in "${!STAGES[@]}"; do
        if [[ ${STAGES[$index]} == "$1" ]]; then echo "$((index + 1))"; fi
    done
}

mkdir -p reports
if [[ -f reports/deploy-target ]]; then
    echo "a previous run left a deployment behind: removing it first"
    scripts/pipeline/cleanup.sh
fi
rm -f reports/stage-*.summary reports/pipeline.env
results=()
started_at=$SECONDS

summary() {
    local line
    printf '\n%s\n' "======================================================================"
    printf 'PIPELINE SUMMARY (commit %s)\n' "$(git rev-parse --short=12 HEAD)"
    printf '%s\n' "----------------------------------------------------------------------"
    for line in "${results[@]}"; do
        printf '%s\n' "$line"
    done
    printf '%s\n' "----------------------------------------------------------------------"
    printf 'total %ss: %s\n' "$((SECONDS - started_at))" "$1"
    printf '%s\n' "======================================================================"
}

finish() {
    local status=$?
    if [[ -f reports/deploy-target ]]; then
        printf '\n### cleanup\n'
        scripts/pipeline/cleanup.sh || status=1
    fi
    if ((status == 0)); then summary "PASSED"; else summary "FAILED"; fi
    exit "$status"
}
trap finish EXIT

for stage in "${selected[@]}"; do
    printf '\n%s\n### STAGE %s\n%s\n' "######################################################################" \
        "${TITLES[$stage]}" "######################################################################"
    number="$(stage_number "$stage")"
    stage_start=$SECONDS
    if "scripts/pipeline/$number-$stage.sh"; then outcome="passed"; else outcome="FAILED"; fi
    detail=""
    if [[ -f "reports/stage-$number.summary" ]]; then detail="$(cat "reports/stage-$number.summary")"; fi
    results+=("$(printf '%-50s %-6s %5ss  %s' "${TITLES[$stage]}" "$outcome" "$((SECONDS - stage_start))" "$detail")")
    if [[ $outcome == FAILED ]]; then
        printf '\nstage "%s" failed: the pipeline stops here\n' "$stage" >&2
        exit 1
    fi
done
