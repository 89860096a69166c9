#!/usr/bin/env bash
# prom/prometheus:v2.53.2: the prometheus binary as entrypoint, run as nobody, storage in /prometheus, wget;
# /etc/prometheus is nobody's, as in the image (compose writes the metrics token there).
# packages: prometheus wget
# config: ENTRYPOINT ["/usr/bin/prometheus"]
# config: USER nobody
# config: WORKDIR /prometheus
# config: EXPOSE 9090
# shellcheck source=scripts/compose-test/standins/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mkdir -p "$root/prometheus" "$root/etc/prometheus"
chroot "$root" chown nobody:nogroup /prometheus /etc/prometheus
slim
