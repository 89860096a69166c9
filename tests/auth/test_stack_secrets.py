"""`make up` with auth on: missing secrets are generated once under the state folder (owner-only), the
environment's win, and the start says where they are."""

import stat

from nativestack import secrets


def test_missing_secrets_are_generated_once_and_kept_private(tmp_path):
    found, generated = secrets.settings(tmp_path, environ={})
    assert sorted(generated) == ["ADMIN_API_KEY", "ADMIN_PASSWORD", "SERVICE_SECRET"]
    assert found["ADMIN_API_KEY"].startswith("ipt_")
    assert len(found["ADMIN_PASSWORD"]) >= 12 and len(found["SERVICE_SECRET"]) >= 32
    folder = tmp_path / "secrets"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, generated_again = secrets.settings(tmp_path, environ={})
    assert (again, generated_again) == (found, [])  # a restart finds the same ones


def test_the_environment_wins_and_the_start_says_where_to_look(tmp_path):
    environ = {"ADMIN_PASSWORD": "from the environment", "ADMIN_EMAIL": "ops@example.com"}  # pragma: allowlist secret
    found, generated = secrets.settings(tmp_path, environ=environ)
    assert found["ADMIN_PASSWORD"] == "from the environment"  # pragma: allowlist secret
    assert sorted(generated) == ["ADMIN_API_KEY", "SERVICE_SECRET"]
    assert not (tmp_path / "secrets" / "admin-password").exists()
    lines = secrets.describe(tmp_path, environ=environ)
    assert lines[0] == "sign in as ops@example.com: the password is in ADMIN_PASSWORD (from the environment)"
    assert lines[1].endswith(str(tmp_path / "secrets" / "admin-api-key"))
