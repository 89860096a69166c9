"""The receiver snippets of docs/integrations.md ("Outgoing webhooks") verify what the platform sends."""

import pathlib
import re
import subprocess
import time

import pytest

from incident_management.webhooks import rules

DOC = (pathlib.Path(__file__).parents[2] / "docs" / "integrations.md").read_text()
SECTION = DOC[DOC.index("## Outgoing webhooks") :]
SECRET = rules.new_secret()
BODY = b'{"event_type": "incident.opened", "incident": {"title": "caf\\u00e9 down"}}'


@pytest.fixture
def verify():
    """The Python receiver's `verify` function, run from the document's own code block."""
    code = re.search(r"<!-- verify-snippet -->\n```python\n(.*?)```", SECTION, re.DOTALL).group(1)
    namespace = {}
    exec(compile(code, "docs/integrations.md", "exec"), namespace)  # noqa: S102 (our own document)
    return namespace["verify"]


def test_the_python_receiver_accepts_what_is_sent_and_nothing_else(verify):
    headers = rules.headers(SECRET, "incident.opened", "d-1", BODY, time.time())
    assert verify(SECRET, headers, BODY)
    assert not verify(rules.new_secret(), headers, BODY)
    assert not verify(SECRET, headers, BODY + b" ")
    stale = rules.headers(SECRET, "incident.opened", "d-1", BODY, time.time() - 301)
    assert not verify(SECRET, stale, BODY)
    assert not verify(SECRET, {}, BODY)


def test_the_openssl_one_liner_gives_the_signature(tmp_path):
    command = re.search(r"```sh\n(\{ printf .*?)\n```", SECTION).group(1)
    (tmp_path / "body.json").write_bytes(BODY)
    timestamp = int(time.time())
    answer = subprocess.run(
        ["bash", "-c", command],
        cwd=tmp_path,
        env={"TS": str(timestamp), "SECRET": SECRET, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"sha256={answer.stdout.strip()}" == rules.signature(SECRET, timestamp, BODY)
