#!/usr/bin/env bash
# prom/alertmanager:v0.27.0: the alertmanager binary as entrypoint, run as nobody, data in /alertmanager, wget.
# packages: prometheus-alertmanager wget
# config: ENTRYPOINT ["/usr/bin/prometheus-alertmanager"]
# config: USER nobody
# config: WORKDIR /alertmanager
# config: EXPOSE 9093
# shellcheck source=scripts/compose-test/standins/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mkdir -p "$root/alertmanager" "$root/etc/alertmanager"
chroot "$root" chown nobody:nogroup /alertmanager
slim
