#!/bin/sh
# The stand-in's entrypoint: what nginx's docker-entrypoint does for our image (templates and resolvers).
set -eu
# Upstream takes every nameserver; podman lists its network's DNS first and the host's after it, which cannot
# resolve the service names (nginx would ask both in turn and fail every other lookup): the first one only.
if [ -n "${NGINX_ENTRYPOINT_LOCAL_RESOLVERS:-}" ]; then
    NGINX_LOCAL_RESOLVERS="$(awk '$1=="nameserver" {print $2; exit}' /etc/resolv.conf)"
    export NGINX_LOCAL_RESOLVERS
fi
template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
# Only the variables that are set are replaced (nginx's own $uri, $host... stay), as upstream does.
# shellcheck disable=SC2016,SC2046 # a literal ${NAME} list, one word per variable name
defined="$(printf '${%s} ' $(env | cut -d= -f1))"
for template in "$template_dir"/*.template; do
    [ -f "$template" ] || continue
    name="$(basename "$template" .template)"
    envsubst "$defined" <"$template" >"$output_dir/$name"
done
exec "$@"
