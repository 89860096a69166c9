"""Fixtures for the delivery tests: a throwaway copy of the repository, and running its scripts."""

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# The virtualenv running these tests, so the scripts under test use the same pinned tools.
VENV = sys.prefix
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Delivery Test",
    "GIT_AUTHOR_EMAIL": "delivery-test@example.invalid",
    "GIT_COMMITTER_NAME": "Delivery Test",
    "GIT_COMMITTER_EMAIL": "delivery-test@example.invalid",
}


def repo_files(root=ROOT):
    """What the pipeline reads: files git tracks or would add (lib.sh's repo_files, which this asks)."""
    listed = run_bash(f'source "{root}/scripts/pipeline/lib.sh"; repo_files', cwd=root)
    return listed.stdout.split()


# What the pipeline and compose read from the environment: a test sets what it means to, nothing leaks in.
PIPELINE_SETTINGS = {
    "IMAGE_TAG", "COMPOSE_PROJECT_NAME", "STACK_DATABASE", "PORT_OFFSET", "STACK_DIR", "DEPLOY_TARGET",
    "DEPLOY_TARGET_FILE", "REPORTS", "VENV", "BIND_ADDRESS", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB",
    "GRAFANA_ADMIN_USER", "GRAFANA_ADMIN_PASSWORD",
}  # fmt: skip


def clean_env(**settings):
    """This process's environment less the pipeline's settings, plus `settings`."""
    return {**{k: v for k, v in os.environ.items() if k not in PIPELINE_SETTINGS}, **settings}


def git_env():
    """The environment the scripts run with: the tests' virtualenv first on PATH, a git identity."""
    return clean_env(**GIT_IDENTITY, VENV=VENV, PATH=f"{VENV}/bin:{os.environ['PATH']}")


def run_bash(script, cwd=ROOT, env=None, check=True, timeout=300):
    result = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=clean_env(**(env or {})), capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(f"{script} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def run_script(path, *args, cwd=ROOT, env=None, timeout=300):
    """Run a repository script the way the pipeline does; returns the CompletedProcess (output merged)."""
    return subprocess.run(
        [str(cwd / path), *args], cwd=cwd, env={**git_env(), **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, env=git_env(), capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def working_files():
    return repo_files()


@pytest.fixture
def repo_copy(tmp_path, working_files):
    """The repository as it is in the working tree, as a fresh git repository with one commit."""
    copy = tmp_path / "repo"
    for relative in working_files:
        destination = copy / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, destination)
    git(copy, "init", "--quiet", "--initial-branch=main")
    git(copy, "add", "--all")
    git(copy, "commit", "--quiet", "--message", "the repository as it is")
    return copy
