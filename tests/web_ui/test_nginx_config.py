"""The one gateway configuration is valid nginx both ways it is rendered: by the native stack, and the way
the Docker image's entrypoint does it (envsubst of the environment's variables, nothing else)."""

import re
import shutil
import subprocess

import pytest

from nativestack import Stack
from nativestack import components as registry
from tests.conftest import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # Debian's nginx-light (.ci/run installs it)
TEMPLATE = ROOT / "web-ui" / "nginx" / "default.conf.template"
DOCKER_TEMPLATE = ROOT / "web-ui" / "nginx" / "docker.conf.template"
# What web-ui/Dockerfile sets: the only ${VARIABLES} the Docker rendering can fill.
DOCKER_ENV = {
    "NGINX_ADDR": "8080", "GRAFANA_URL": "http://localhost:3000", "NGINX_LOCAL_RESOLVERS": "127.0.0.11",
    "METRICS_TOKEN": "",
}  # fmt: skip
_ENV_REFERENCE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def nginx_test(prefix, conf):
    result = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def envsubst(text, env):
    """The image's 20-envsubst-on-templates.sh: only variables defined in the environment are replaced."""
    return _ENV_REFERENCE.sub(lambda m: env.get(m.group(1), m.group(0)), text)


def test_every_variable_the_templates_use_is_set_by_the_image():
    used = set(_ENV_REFERENCE.findall(TEMPLATE.read_text() + DOCKER_TEMPLATE.read_text()))
    assert used <= set(DOCKER_ENV), f"not set in web-ui/Dockerfile: {used - set(DOCKER_ENV)}"
    dockerfile = (ROOT / "web-ui" / "Dockerfile").read_text()
    for name, value in DOCKER_ENV.items():
        assert f"{name}={value}" in dockerfile


def test_native_rendering_is_valid(tmp_path):
    stack = Stack(tmp_path, port_offset=31000)
    nginx = registry.by_name()["nginx"]
    for source, destination in nginx.templates:
        stack.render(ROOT / source, tmp_path / destination, nginx.template_defaults)
    (tmp_path / "logs").mkdir()
    (tmp_path / "run").mkdir()
    rendered = (tmp_path / "nginx" / "default.conf").read_text()
    assert "listen 127.0.0.1:39080;" in rendered
    assert "set $service_addr 127.0.0.1:39002;" in rendered  # incident-management:8002, offset
    assert "set $service_addr 127.0.0.1:40113;" in rendered  # nginx-exporter:9113, offset
    assert '"grafana_url": ""' in rendered, "natively there is no Grafana to link to"
    assert "${" not in rendered
    nginx_test(tmp_path / "nginx", tmp_path / "nginx" / "nginx.conf")


@pytest.mark.parametrize("metrics_token", ["", "a.metrics-token_0123456789~+/=="], ids=["open", "token"])
def test_docker_rendering_is_valid(tmp_path, metrics_token):
    """The image's own nginx.conf includes conf.d/*.conf in `http`; this stands in for it with local paths."""
    conf_d = tmp_path / "conf.d"
    conf_d.mkdir()
    for template in (TEMPLATE, DOCKER_TEMPLATE):
        rendered = envsubst(template.read_text(), {**DOCKER_ENV, "METRICS_TOKEN": metrics_token})
        assert "${" not in rendered
        (conf_d / template.name.removesuffix(".template")).write_text(rendered)
    default = (conf_d / "default.conf").read_text()
    assert "listen 8080;" in default
    assert "set $service_addr alert-ingestion:8001;" in default
    assert "$service_addr" in default and "$uri" in default  # nginx's own variables are left alone
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n  fastcgi_temp_path {tmp_path}/fastcgi;\n"
        f"  uwsgi_temp_path {tmp_path}/uwsgi;\n  scgi_temp_path {tmp_path}/scgi;\n"
        f"  access_log off;\n  include {conf_d}/*.conf;\n}}\n"
    )
    nginx_test(tmp_path, main)
