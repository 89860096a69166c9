#!/usr/bin/env bash
# nginx/nginx-prometheus-exporter:1.3.0: the exporter binary as entrypoint (Debian's 0.11 takes the same
# --nginx.scrape-uri flag), run as nobody.
# packages: prometheus-nginx-exporter
# config: ENTRYPOINT ["/usr/bin/prometheus-nginx-exporter"]
# config: USER nobody
# config: EXPOSE 9113
# shellcheck source=scripts/compose-test/standins/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
slim
