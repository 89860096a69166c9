#!/usr/bin/env bash
# Stage 5, post-deployment verification of what stage 4 deployed: every health check, a smoke alert that
# becomes an incident (and is resolved again), Prometheus scraping every target. See verify.py.
# shellcheck source=scripts/pipeline/lib.sh
source "$(dirname "$0")/lib.sh"
require_venv

[[ -f "$DEPLOY_TARGET_FILE" ]] || fail "nothing deployed: run stage 4 first"
target="$(cat "$DEPLOY_TARGET_FILE")"
offset="$PORT_OFFSET"
if [[ $target != native ]]; then
    offset=0
    # The deployment's admin token (auth is on in compose): verify.py's API calls carry it.
    ADMIN_API_KEY="$(sed -n 's/^ADMIN_API_KEY=//p' "$(pipeline_env_file)")"
    export ADMIN_API_KEY
fi
step "verifying the $target deployment"
python scripts/pipeline/verify.py --target "$target" --port-offset "$offset" --label "$IMAGE_TAG" \
    --timeout "${VERIFY_TIMEOUT:-180}" | tee "$REPORTS/verify.txt"
tail -n 1 "$REPORTS/verify.txt" >"$REPORTS/stage-5.summary"
