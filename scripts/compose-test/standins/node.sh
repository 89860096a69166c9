#!/usr/bin/env bash
# node:20.19.5-alpine (build stage only): Node 20 and npm. Debian bookworm's nodejs is 18, older than the UI's
# `engines` (>=20.19), so the machine's own Node (its node binary and npm) is copied in.
# packages: ca-certificates
# config: CMD ["node"]
# config: ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
# shellcheck source=scripts/compose-test/standins/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install -D -m 0755 /usr/bin/node "$root/usr/bin/node"
mkdir -p "$root/usr/lib/node_modules"
cp -a /usr/lib/node_modules/npm "$root/usr/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
# This machine reaches the registries through a TLS-inspecting egress: pip and npm in the builds trust what
# the machine trusts (its CA bundle), as they do on the machine itself.
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
slim
