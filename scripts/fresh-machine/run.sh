#!/usr/bin/env bash
# The fresh-machine check (issue #15): a new Debian bookworm root holding only what a new machine of this kind
# has (Debian's Python 3.11 with venv and headers, gcc, make, git, curl, the PostgreSQL packages, and the
# machine's own Node 20 with npm copied in), none of the Debian packages the project installs. Inside it, with
# chroot (the network is shared, so 127.0.0.1:5432 is this machine's PostgreSQL): a fresh clone, then the
# README's steps exactly: `make up`, the curl walk (scripts/fresh-machine/readme-walk.sh), `make status`,
# `make down`, `make test`. Each step is timed; the figures go to $FRESH_ROOT.times.
#
#   sudo scripts/fresh-machine/run.sh            # clones this repository's checked-out branch
#   FRESH_SOURCE=/path/to/repo FRESH_BRANCH=main scripts/fresh-machine/run.sh
#
# PORT_OFFSET (18000) and TEST_STACK_PORT_OFFSET (18500) keep it clear of stacks already running here.
# shellcheck disable=SC2329  # cleanup, in_root and bootstrap are called through trap and step
set -euo pipefail

# A worktree's branches live in its common git folder: bind the repository that holds it.
here="$(dirname "$0")"
source_repo="$(realpath "${FRESH_SOURCE:-$(git -C "$here" rev-parse --path-format=absolute --git-common-dir)/..}")"
branch="${FRESH_BRANCH:-$(git -C "$here" rev-parse --abbrev-ref HEAD)}"
root="${FRESH_ROOT:-/var/tmp/fresh-machine}"
times="$root.times"
export PORT_OFFSET="${PORT_OFFSET:-18000}" TEST_STACK_PORT_OFFSET="${TEST_STACK_PORT_OFFSET:-18500}"
base_packages=python3,python3-venv,python3-dev,gcc,make,git,ca-certificates,curl,postgresql,postgresql-client
mounts=(proc sys dev dev/pts dev/shm mnt/source)
# What every machine of this kind is given at its start, and so is a fresh one: the workplace's TLS trust (its
# egress CA, in the system store, and the variables that point pip, requests, curl, git and node at it).
trust_files=(/usr/local/share/ca-certificates/*.crt /etc/pip.conf /etc/npmrc)
trust_variables=(SSL_CERT_FILE SSL_CERT_DIR REQUESTS_CA_BUNDLE PIP_CERT CURL_CA_BUNDLE NODE_EXTRA_CA_CERTS GIT_SSL_CAINFO)

[[ $EUID -eq 0 ]] || { echo "run as root (mmdebstrap, mount, chroot)" >&2; exit 1; }
command -v mmdebstrap >/dev/null || { echo "needs mmdebstrap: apt-get install -y mmdebstrap" >&2; exit 1; }

cleanup() {
    # Anything still running in the root (a daemon a package started) is ours: stop it, then unmount.
    for proc in /proc/[0-9]*; do
        [[ "$(readlink "$proc/root" 2>/dev/null)" == "$root" ]] && kill "${proc#/proc/}" 2>/dev/null
    done
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        mountpoint -q "$root/${mounts[i]}" && { umount "$root/${mounts[i]}" || umount -l "$root/${mounts[i]}"; }
    done
    return 0
}
trap cleanup EXIT

step() {  # step NAME COMMAND...: runs it, appends "NAME: N s (exit E)" to the figures
    local name="$1" start rc=0
    shift
    start=$(date +%s)
    echo "=== $name" >&2
    "$@" || rc=$?
    echo "$name: $(($(date +%s) - start)) s (exit $rc)" | tee -a "$times" >&2
    return "$rc"
}

in_root() {  # a login-free, clean environment: nothing of this machine's PATH, pyenv or caches leaks in
    local trust=() name
    for name in "${trust_variables[@]}"; do [[ -z "${!name:-}" ]] || trust+=("$name=${!name}"); done
    chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" "${trust[@]}" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        PORT_OFFSET="$PORT_OFFSET" TEST_STACK_PORT_OFFSET="$TEST_STACK_PORT_OFFSET" \
        /bin/bash -euo pipefail -c "cd /root/platform 2>/dev/null || cd /root; $1"
}

bootstrap() {
    rm -rf "$root"
    mmdebstrap --variant=apt --include="$base_packages" bookworm "$root" /etc/apt/sources.list.d/debian.sources
    # The machine's Node.js (nodesource 20, npm 11) is not a Debian package: copy its files as they are.
    tar -C / -c usr/bin/node usr/bin/npm usr/bin/npx usr/bin/corepack usr/lib/node_modules | tar -C "$root" -x
    local file
    for file in "${trust_files[@]}"; do [[ ! -f $file ]] || cp "$file" "$root$file"; done
    chroot "$root" update-ca-certificates >/dev/null
}

mount_all() {
    mkdir -p "$root/mnt/source"
    for target in proc sys dev dev/pts dev/shm; do mount --bind "/$target" "$root/$target"; done
    mount --bind "$source_repo" "$root/mnt/source"
    mount -o remount,bind,ro "$root/mnt/source"
}

: >"$times"
echo "source: $source_repo ($branch at $(git -C "$source_repo" rev-parse --short "$branch")), root: $root" | tee -a "$times"
step bootstrap bootstrap
mount_all
step clone in_root "git clone --quiet --branch '$branch' /mnt/source /root/platform"
status=0
if step "make up" in_root "make up"; then
    step "curl walk" in_root "bash scripts/fresh-machine/readme-walk.sh" || status=1
    step "make status" in_root "make status" || status=1
else
    status=1
fi
step "make down" in_root "make down" || status=1
# The stack's database on the machine's server is the check's own leftover (make down keeps a user's data).
in_root "dropdb --if-exists -h 127.0.0.1 -U postgres incident_platform_$PORT_OFFSET" || true
step "make test" in_root "make test" || status=1
cat "$times"
exit "$status"
