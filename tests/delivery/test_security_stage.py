"""Stage 2 (scripts/pipeline/2-security.sh) on a copy of the repository: clean passes; planted secrets fail.

The fake secrets are made at run time, so this file holds none for the scanners to find.
"""

import random
import shutil
import string
import subprocess

import pytest

from tests.delivery.conftest import VENV, git, git_env, run_script

STAGE = "scripts/pipeline/2-security.sh"
NO_GITLEAKS = shutil.which("gitleaks") is None


def fake_aws_key():
    return "AKIA" + "".join(random.choices(string.ascii_uppercase + string.digits, k=16))


def fake_database_url():
    password = "".join(random.choices(string.ascii_letters + string.digits, k=18))
    credentials = ":".join(["billing_admin", password])
    return f"postgresql://{credentials}@db.prod.internal:5432/billing"


def test_the_clean_repository_passes(repo_copy):
    result = run_script(STAGE, cwd=repo_copy)
    assert result.returncode == 0, result.stdout
    if NO_GITLEAKS:
        assert "no secrets in the working tree" in result.stdout
        assert "no secrets in the git history" in result.stdout
    assert "No issues identified." in result.stdout  # bandit
    assert (repo_copy / "reports" / "stage-2.summary").read_text().startswith("secrets: clean")


def test_an_aws_key_in_the_working_tree_fails(repo_copy):
    """Not committed yet: the working-tree scan must catch it."""
    (repo_copy / "deploy_settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{fake_aws_key()}"\n')
    result = run_script(STAGE, cwd=repo_copy)
    assert result.returncode != 0
    if NO_GITLEAKS:
        assert "AWS Access Key" in result.stdout
        assert "deploy_settings.py:1" in result.stdout
        assert "FAILED: detect-secrets found secrets in the working tree" in result.stdout


def test_a_password_in_a_url_that_was_committed_then_removed_fails(repo_copy):
    """Gone from the working tree, still in the history: the history scan must catch it."""
    settings = repo_copy / "alert_ingestion" / "local_settings.py"
    settings.write_text(f'DATABASE_URL = "{fake_database_url()}"\n')
    git(repo_copy, "add", "alert_ingestion/local_settings.py")
    git(repo_copy, "commit", "--quiet", "--message", "local settings")
    git(repo_copy, "rm", "--quiet", "alert_ingestion/local_settings.py")
    git(repo_copy, "commit", "--quiet", "--message", "oops, remove local settings")
    assert not settings.exists()

    result = run_script(STAGE, cwd=repo_copy)
    assert result.returncode != 0
    if NO_GITLEAKS:
        assert "no secrets in the working tree" in result.stdout
        assert "Password in URL" in result.stdout
        assert "alert_ingestion/local_settings.py" in result.stdout
        assert "FAILED: trufflehog found secrets in the git history" in result.stdout


def test_an_aws_key_on_another_branch_fails(repo_copy):
    """Every branch's history is scanned, not only the one checked out."""
    git(repo_copy, "checkout", "--quiet", "-b", "experiment")
    (repo_copy / "notes.txt").write_text(f"temporary key {fake_aws_key()}\n")
    git(repo_copy, "add", "notes.txt")
    git(repo_copy, "commit", "--quiet", "--message", "experiment")
    git(repo_copy, "checkout", "--quiet", "main")

    result = run_script(STAGE, cwd=repo_copy)
    assert result.returncode != 0
    if NO_GITLEAKS:
        assert "AWS API Key" in result.stdout


def test_a_high_severity_bandit_finding_fails(repo_copy):
    (repo_copy / "servicekit" / "unsafe_shell.py").write_text(
        '"""A planted finding."""\n\nimport subprocess\n\n\ndef run(command):\n'
        "    return subprocess.run(command, shell=True, check=False)\n"
    )
    result = run_script(STAGE, cwd=repo_copy)
    assert result.returncode != 0
    assert "B602" in result.stdout  # subprocess with shell=True
    assert "servicekit/unsafe_shell.py" in result.stdout


@pytest.fixture
def hooked_repo(repo_copy):
    """The copy with the pre-commit hook installed, as a developer would (`pre-commit install`)."""
    subprocess.run([f"{VENV}/bin/pre-commit", "install"], cwd=repo_copy, check=True, capture_output=True, text=True)
    return repo_copy


def test_the_pre_commit_hook_refuses_a_commit_with_a_secret(hooked_repo):
    (hooked_repo / "ci.env").write_text(f"AWS_ACCESS_KEY_ID={fake_aws_key()}\n")
    git(hooked_repo, "add", "ci.env")
    commit = subprocess.run(
        ["git", "commit", "--message", "add ci settings"], cwd=hooked_repo, capture_output=True, text=True,
        env=git_env(), check=False, timeout=300,
    )  # fmt: skip
    assert commit.returncode != 0, commit.stdout
    assert "AWS Access Key" in commit.stdout + commit.stderr
    assert "ci.env:1" in commit.stdout + commit.stderr
    assert git(hooked_repo, "log", "--format=%s", "-1").strip() == "the repository as it is"

    (hooked_repo / "ci.env").write_text("AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID}\n")
    git(hooked_repo, "add", "ci.env")
    commit = subprocess.run(
        ["git", "commit", "--message", "add ci settings"], cwd=hooked_repo, capture_output=True, text=True,
        env=git_env(), check=False, timeout=300,
    )  # fmt: skip
    assert commit.returncode == 0, commit.stdout + commit.stderr
