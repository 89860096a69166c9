#!/usr/bin/env bash
# Stage 2, security: secrets in the working tree and in the whole git history, then bandit on the code
# that ships. gitleaks (with .gitleaks.toml) when it is installed; otherwise detect-secrets (with
# .secrets.baseline, as the pre-commit hook) for the tree and trufflehog for the history.
# shellcheck source=scripts/pipeline/lib.sh
source "$(dirname "$0")/lib.sh"
require_venv

mapfile -t files < <(repo_files)
if command -v gitleaks >/dev/null 2>&1; then
    step "gitleaks: git history"
    gitleaks detect --source . --config .gitleaks.toml --redact --no-banner
    step "gitleaks: working tree (${#files[@]} files)"
    gitleaks detect --no-git --source . --config .gitleaks.toml --redact --no-banner
    scanners="gitleaks"
else
    step "detect-secrets: working tree (${#files[@]} files, against .secrets.baseline)"
    # The hook rewrites a baseline whose line numbers moved (exit 3): give it a copy, keep the committed one.
    baseline_copy="$(mktemp)"
    trap 'rm -f "$baseline_copy"' EXIT
    cp .secrets.baseline "$baseline_copy"
    status=0
    # The generated API client and documents copy the services' schemas (scanned where they are written).
    mapfile -t scanned < <(printf '%s\n' "${files[@]}" | grep -v -x '.secrets.baseline' \
        | grep -v -E '^web-ui/(openapi/|src/api/generated/)')
    detect-secrets-hook --baseline "$baseline_copy" "${scanned[@]}" || status=$?
    case "$status" in
        0 | 3) echo "no secrets in the working tree" ;;
        *) fail "detect-secrets found secrets in the working tree (see above)" ;;
    esac

    step "trufflehog: every commit of every branch"
    trufflehog --regex --entropy=False --cleanup \
        --allow scripts/security/trufflehog-allow.json \
        --exclude_paths scripts/security/trufflehog-exclude.txt \
        "file://$ROOT" || fail "trufflehog found secrets in the git history (see above)"
    echo "no secrets in the git history ($(git rev-list --all --count) commits)"
    scanners="detect-secrets + trufflehog"
fi

mapfile -t packages < <(service_packages)
step "bandit: servicekit ${packages[*]} scripts (medium severity and confidence and up fail)"
bandit --recursive --severity-level medium --confidence-level medium \
    servicekit "${packages[@]}" scripts | tee "$REPORTS/bandit.txt"
echo "secrets: clean ($scanners); bandit: clean" >"$REPORTS/stage-2.summary"
