"""The processes of the native stack. Adding one is a few lines here.

Ports are SPEC's; a stack adds its port offset. `docker_host` is the name the
component has in docker-compose.yml: configuration files shared with Docker
name upstreams as `docker_host:port`, which the native stack rewrites to
127.0.0.1 and its own ports.
"""

import dataclasses


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
    gunicorn_service("notification_service", 8004, "notification-service"),
]


def by_name():
    return {component.name: component for component in COMPONENTS}
