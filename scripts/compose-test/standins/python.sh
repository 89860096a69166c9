#!/usr/bin/env bash
# python:3.11-slim-bookworm: `python` 3.11 with venv and pip (ensurepip), groupadd/useradd, sh.
# packages: python3 python3-venv python-is-python3 ca-certificates
# config: CMD ["python3"]
# config: ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt
# shellcheck source=scripts/compose-test/standins/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# This machine reaches the registries through a TLS-inspecting egress: pip and npm in the builds trust what
# the machine trusts (its CA bundle), as they do on the machine itself.
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
slim
