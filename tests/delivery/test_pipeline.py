"""run-pipeline.sh and the Jenkinsfile: the linters pass on every file, both run the same stage scripts,
a failing stage stops the run, and stage 5's verification passes on a real stack and fails on a broken one."""

import re
import subprocess
import sys

import pytest
import requests

from tests.conftest import ROOT, STACK_PORT_OFFSET
from tests.delivery.conftest import VENV, run_bash, run_script
from tests.delivery.test_security_stage import fake_aws_key

LIB = f'source "{ROOT}/scripts/pipeline/lib.sh"'
SHELL_SCRIPTS = run_bash(f"{LIB}; shell_scripts").stdout.split()
YAML_FILES = run_bash(f"{LIB}; yaml_files").stdout.split()
STAGE_SCRIPTS = sorted(path.name for path in (ROOT / "scripts" / "pipeline").glob("[0-9]-*.sh"))


def test_the_linters_find_our_files():
    assert {"run-pipeline.sh", "scripts/pipeline/lib.sh", ".ci/run"} <= set(SHELL_SCRIPTS)
    assert {"docker-compose.yml", ".pre-commit-config.yaml", ".yamllint.yaml"} <= set(YAML_FILES)


@pytest.mark.parametrize("path", SHELL_SCRIPTS)
def test_shellcheck_passes(path):
    result = subprocess.run(
        [f"{VENV}/bin/shellcheck", "--external-sources", path], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("path", YAML_FILES)
def test_yamllint_passes(path):
    result = subprocess.run(
        [f"{VENV}/bin/yamllint", "--strict", path], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_the_five_stages_are_scripts_that_fail_on_errors():
    assert STAGE_SCRIPTS == ["1-quality.sh", "2-security.sh", "3-build.sh", "4-deploy.sh", "5-verify.sh"]
    for name in [*STAGE_SCRIPTS, "cleanup.sh", "lib.sh"]:
        text = (ROOT / "scripts" / "pipeline" / name).read_text()
        assert "set -euo pipefail" in text or 'source "$(dirname "$0")/lib.sh"' in text, name
    assert "set -euo pipefail" in (ROOT / "run-pipeline.sh").read_text()


def test_jenkins_runs_the_same_stage_scripts_in_the_same_order_and_cleans_up_always():
    jenkinsfile = (ROOT / "Jenkinsfile").read_text()
    steps = re.findall(r"sh '([^']+)'", jenkinsfile)
    assert steps[:5] == [f"scripts/pipeline/{name}" for name in STAGE_SCRIPTS]
    assert steps[5:] == ["scripts/pipeline/cleanup.sh"]
    post = jenkinsfile[jenkinsfile.index("post {") :]
    assert "always {" in post
    assert "junit" in post and "reports/junit.xml" in post
    assert "recordCoverage" in post and "coverage.xml" in post
    assert jenkinsfile.count("{") == jenkinsfile.count("}")
    # The JUnit file Jenkins publishes is the one stage 1 writes.
    assert "--junitxml=$REPORTS/junit.xml" in (ROOT / "scripts" / "pipeline" / "1-quality.sh").read_text()


def test_an_unknown_stage_is_refused():
    result = run_script("run-pipeline.sh", "lint-only")
    assert result.returncode == 2
    assert "unknown stage 'lint-only'" in result.stdout


def test_a_stage_run_prints_banners_and_a_timed_summary(repo_copy):
    result = run_script("run-pipeline.sh", "build", cwd=repo_copy, env={"DEPLOY_TARGET": "native"})
    assert result.returncode == 0, result.stdout
    assert "### STAGE 3/5 build images" in result.stdout
    assert "no Docker engine: images NOT built" in result.stdout
    summary = result.stdout[result.stdout.index("PIPELINE SUMMARY") :]
    assert re.search(r"3/5 build images\s+passed\s+\d+s\s+no Docker engine: 5 images not built", summary)
    assert re.search(r"total \d+s: PASSED", summary)
    tag = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=repo_copy, capture_output=True, text=True)
    assert f"incident-platform/alert-ingestion:{tag.stdout.strip()}" in result.stdout


def test_a_failing_stage_stops_the_run_and_the_summary_says_so(repo_copy):
    (repo_copy / "settings.py").write_text(f'KEY = "{fake_aws_key()}"\n')
    result = run_script("run-pipeline.sh", "security", "build", cwd=repo_copy, env={"DEPLOY_TARGET": "native"})
    assert result.returncode == 1
    summary = result.stdout[result.stdout.index("PIPELINE SUMMARY") :]
    assert re.search(r"2/5 security: secret scanning and static analysis\s+FAILED", summary)
    assert "3/5 build images" not in summary, "no stage runs after a failure"
    assert re.search(r"total \d+s: FAILED", summary)


# --- stage 5 on the tests' own native stack -----------------------------------------------------------


def verify(*args, timeout=120):
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "pipeline" / "verify.py"), "--target", "native",
         "--port-offset", str(STACK_PORT_OFFSET), "--label", "pytest", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


@pytest.mark.stack
def test_verification_passes_on_a_healthy_stack_and_resolves_its_smoke_incident(stack):
    result = verify("--timeout", "90")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "accepted (201, new_incident)" in result.stdout
    assert "the gateway routes" in result.stdout
    assert "smoke incident resolved" in result.stdout
    incident_id = re.search(r"became incident ([0-9a-f-]{36})", result.stdout).group(1)
    incident = requests.get(f"{stack.url('incident_management')}/api/v1/incidents/{incident_id}", timeout=10).json()
    assert incident["status"] == "resolved"
    assert incident["service"].startswith("pipeline-smoke-pytest-")


@pytest.mark.stack
def test_verification_fails_naming_the_component_that_is_down(stack):
    stack.stop("incident_management")
    try:
        result = verify("--timeout", "3")
    finally:
        stack.start("incident_management")
    assert result.returncode == 1
    assert "not healthy after 3s: incident_management" in result.stderr


def test_the_deploy_target_can_be_podman_and_an_unknown_one_is_refused():
    lib = f'source "{ROOT}/scripts/pipeline/lib.sh"'
    for target in ("docker", "podman", "native"):
        assert run_bash(f"{lib}; deploy_target", env={"DEPLOY_TARGET": target}).stdout.strip() == target
    refused = run_bash(f"{lib}; deploy_target", env={"DEPLOY_TARGET": "sideways"}, check=False)
    assert refused.returncode == 1
    assert "DEPLOY_TARGET must be docker, podman, native or auto, not 'sideways'" in refused.stderr


def test_verification_of_a_podman_deployment_leaves_grafana_out():
    sys.path.insert(0, str(ROOT / "scripts" / "pipeline"))
    import verify as verification

    podman = verification.Deployment.of("podman", 0).health
    docker = verification.Deployment.of("docker", 0).health
    assert set(docker) - set(podman) == {"grafana"}
    assert podman["web_ui"] == "http://127.0.0.1:8080/health"
