#!/usr/bin/env bash
# The README's curl walk ("Try it": alert -> incident -> page -> acknowledge -> resolve -> MTTA/MTTR), taken
# from README.md as it stands and run as written, with its ports moved by PORT_OFFSET and its state folder by
# STACK_DIR (the stack `make up` started), then checked: each step's answer must show what the README says it does.
set -euo pipefail
cd "$(dirname "$0")/../.."
offset="${PORT_OFFSET:-0}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

walk="$(awk '/^## Try it/ {on = 1} on && /^```sh$/ {code = 1; next} code && /^```$/ {exit} code' README.md)"
[[ -n $walk ]] || { echo "README.md has no 'Try it' sh block" >&2; exit 1; }
# With auth on the walk carries the admin's token: the native quick start's own line says where it is.
token_line="$(awk '/^## Quick start without Docker/ {on = 1} on && /^export TOKEN=/ {print; exit}' README.md)"
[[ -n $token_line ]] || { echo "README.md's native quick start does not say how to get \$TOKEN" >&2; exit 1; }
walk="${token_line//.stack\//${STACK_DIR:-.stack}/}"$'\n'"$walk"
for port in 8001 8002 8003 8004 8080; do walk="${walk//localhost:$port/localhost:$((port + offset))}"; done

bash -euo pipefail -c "$walk" | tee "$out"
echo

failed=0
expect() {  # expect WHAT REGEX: the walk's output must match
    if grep -Eq "$2" "$out"; then echo "ok: $1"; else echo "MISSING: $1 (/$2/)" >&2; failed=1; fi
}
expect "the schedule names the on-call primary" '"(primary|oncall)"'
expect "the first alert opens an incident" '"result": ?"new_incident"'
expect "the second alert joins it" '"result": ?"existing_incident"'
expect "the on-call primary is assigned" '"assigned_to": ?"[^"]'
expect "a notification is recorded" '"channel": ?"'
expect "the incident is resolved" '"status": ?"resolved"'
expect "MTTA and MTTR are measured" '"mtta_seconds": ?[0-9]'
expect "incident metrics" '^incidents_total'
expect "alert metrics" '^alerts_received_total'
exit "$failed"
