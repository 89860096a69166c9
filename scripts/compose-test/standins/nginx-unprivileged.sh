#!/usr/bin/env bash
# nginxinc/nginx-unprivileged:1.28.0-alpine: nginx as uid 101 on 8080, /etc/nginx/templates/*.template
# rendered with envsubst into /etc/nginx/conf.d at start (NGINX_ENVSUBST_* and NGINX_ENTRYPOINT_LOCAL_RESOLVERS
# as the upstream entrypoint reads them), busybox-like `wget` for health checks.
# packages: nginx-light gettext-base wget
# config: ENTRYPOINT ["/docker-entrypoint.sh"]
# config: CMD ["nginx", "-g", "daemon off;"]
# config: USER 101
# config: EXPOSE 8080
# shellcheck source=scripts/compose-test/standins/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
add_user nginx 101
rm -f "$root"/etc/nginx/sites-enabled/* "$root"/etc/nginx/conf.d/*
install -m 0755 "$here/nginx-entrypoint.sh" "$root/docker-entrypoint.sh"
cat >"$root/etc/nginx/nginx.conf" <<'CONF'
worker_processes auto;
pid /tmp/nginx.pid;
error_log /dev/stderr notice;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /dev/stdout;
    client_body_temp_path /tmp/client_temp;
    proxy_temp_path /tmp/proxy_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;
    sendfile on;
    keepalive_timeout 65;
    include /etc/nginx/conf.d/*.conf;
}
CONF
mkdir -p "$root/etc/nginx/templates" "$root/usr/share/nginx/html"
chown -R 101:101 "$root/etc/nginx/conf.d" "$root/var/lib/nginx" "$root/var/log/nginx"
slim
