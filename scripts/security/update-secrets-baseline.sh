#!/usr/bin/env bash
# Re-scan the repository into .secrets.baseline after auditing what detect-secrets reports, keeping the
# audit marks of known results. Then `detect-secrets audit .secrets.baseline` to label new ones, and commit.
# shellcheck source=scripts/pipeline/lib.sh
source "$(dirname "$0")/../pipeline/lib.sh"
require_venv

mapfile -t files < <(repo_files | grep -v -x '.secrets.baseline')
if [[ -f .secrets.baseline ]]; then
    detect-secrets scan --baseline .secrets.baseline "${files[@]}"
else
    detect-secrets scan "${files[@]}" >.secrets.baseline
fi
python - <<'PY'
import json

with open(".secrets.baseline") as f:
    baseline = json.load(f)
results = [r for found in baseline["results"].values() for r in found]
print(f".secrets.baseline: {len(results)} known results, {sum('is_secret' not in r for r in results)} not audited yet")
PY
