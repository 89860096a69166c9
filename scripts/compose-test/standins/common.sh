# shellcheck shell=bash
# Sourced by each stand-in recipe inside mmdebstrap's customize hook: $1 is the new root.
set -euo pipefail
root="$1"
# shellcheck disable=SC2034 # `here` is for the recipes that source this file
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# A user as the upstream image has it (uid and name), without a home.
add_user() {
    chroot "$root" groupadd --system --gid "$2" "$1" 2>/dev/null || true
    chroot "$root" useradd --system --uid "$2" --gid "$2" --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$1" 2>/dev/null || true
}
# Keep the image small: documentation, locales and apt's lists are not needed to run anything.
slim() {
    rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/lib/apt/lists/* \
        "$root"/var/cache/apt/*.bin "$root"/var/log/*.log
    find "$root"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name 'en*' -exec rm -rf {} + 2>/dev/null || true
}
