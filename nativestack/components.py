"""The processes of the native stack. Adding one is a few lines here.

Ports are SPEC's; a stack adds its port offset. `docker_host` is the name the
component has in docker-compose.yml: configuration files shared with Docker
name upstreams as `docker_host:port`, which the native stack rewrites to
127.0.0.1 and its own ports.
"""

import dataclasses
import os


@dataclasses.dataclass(frozen=True)
class Component:
    name: str
    port: int
    docker_host: str
    # Format fields: {port}, {state}, {root}, {bin} (the virtualenv's bin) and {ports[name]}.
    command: str
    health_path: str = "/health"
    environment: dict = dataclasses.field(default_factory=dict)
    # (template under the repository, destination under the state folder) rendered before start.
    templates: tuple = ()
    # Values for ${VARIABLES} in those templates that the stack itself has none for.
    template_defaults: dict = dataclasses.field(default_factory=dict)


def gunicorn_service(name, port, docker_host):
    """A Flask service of ours under gunicorn, with its own multiprocess metrics folder."""
    return Component(
        name=name,
        port=port,
        docker_host=docker_host,
        command=f"{{bin}}/gunicorn -c {{root}}/servicekit/gunicorn_conf.py '{name}:create_app()'",
        environment={"BIND": "127.0.0.1:{port}", "PROMETHEUS_MULTIPROC_DIR": "{state}/metrics/" + name},
    )


COMPONENTS = [
    gunicorn_service("alert_ingestion", 8001, "alert-ingestion"),
    gunicorn_service("incident_management", 8002, "incident-management"),
    gunicorn_service("oncall_service", 8003, "oncall-service"),
    gunicorn_service("notification_service", 8004, "notification-service"),
    # The gateway: the built SPA (web-ui/dist, `make ui`) and /api routed to the services.
    Component(
        name="nginx",
        port=8080,
        docker_host="web-ui",
        command="/usr/sbin/nginx -p {state}/nginx -c {state}/nginx/nginx.conf -g 'daemon off;'",
        templates=(
            ("web-ui/nginx/native.conf", "nginx/nginx.conf"),
            ("web-ui/nginx/default.conf.template", "nginx/default.conf"),
        ),
        # No Grafana natively (no Debian package), so no link unless GRAFANA_URL names one. nginx started by root
        # hands its workers to `nobody`, who may not read the checkout: they stay the stack's user instead.
        template_defaults={
            "GRAFANA_URL": "",
            "NGINX_USER_DIRECTIVE": "user root;" if os.geteuid() == 0 else "",
        },
    ),
    # The gateway's Prometheus metrics (served on the gateway's /metrics), read from nginx's stub_status.
    Component(
        name="nginx_exporter",
        port=9113,
        docker_host="nginx-exporter",
        command="/usr/bin/prometheus-nginx-exporter -nginx.scrape-uri=http://127.0.0.1:{ports[nginx]}/stub_status"
        " -web.listen-address=127.0.0.1:{port} -nginx.retries=30 -nginx.retry-interval=1s",
        health_path="/metrics",
    ),
    # Monitoring (Debian's prometheus and prometheus-alertmanager) with the same files as docker-compose.
    Component(
        name="prometheus",
        port=9090,
        docker_host="prometheus",
        command="/usr/bin/prometheus --config.file={state}/prometheus/prometheus.yml"
        " --storage.tsdb.path={state}/prometheus/data --storage.tsdb.retention.time=7d"
        " --web.listen-address=127.0.0.1:{port}",
        health_path="/-/ready",
        templates=(
            ("monitoring/prometheus.yml", "prometheus/prometheus.yml"),
            ("monitoring/rules", "prometheus/rules"),
        ),
    ),
    Component(
        name="alertmanager",
        port=9093,
        docker_host="alertmanager",
        # An empty cluster address: no gossip port, nothing bound outside loopback.
        command="/usr/bin/prometheus-alertmanager --config.file={state}/alertmanager/alertmanager.yml"
        " --storage.path={state}/alertmanager/data --web.listen-address=127.0.0.1:{port} --cluster.listen-address=",
        health_path="/-/ready",
        templates=(("monitoring/alertmanager.yml", "alertmanager/alertmanager.yml"),),
    ),
]


def by_name():
    return {component.name: component for component in COMPONENTS}
