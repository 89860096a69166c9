"""The UI's types are generated from the services' OpenAPI documents: what is committed is what the generator
writes today (scripts/api-client/generate.py --check, also `make api-client-check`), and the app imports them."""

import subprocess
import sys

from tests.conftest import ROOT

UI_SOURCES = ROOT / "web-ui" / "src"


def test_the_generated_client_is_up_to_date():
    answer = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "api-client" / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr


def test_the_app_takes_its_types_from_the_generated_files_only():
    types = (UI_SOURCES / "api" / "types.ts").read_text()
    assert "from './generated/incident_management'" in types
    assert "from './generated/enums'" in types
    declared = [
        line
        for line in types.splitlines()
        if line.startswith("export interface") and not line.startswith("export interface Page<")
    ]
    assert declared == [], f"hand-written API shapes in types.ts: {declared}"
    for path in UI_SOURCES.rglob("*.ts"):
        if "generated" in path.parts:
            continue
        text = path.read_text()
        assert "'critical', 'high', 'medium', 'low'" not in text, f"{path} spells the severities out again"
