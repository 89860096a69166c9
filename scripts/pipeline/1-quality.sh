#!/usr/bin/env bash
# Stage 1, code quality and tests: the virtualenv, the linters for shell, YAML and Dockerfiles, then
# `make test` (ruff, every test, coverage gated by pyproject.toml's fail_under) with a JUnit report.
# shellcheck source=scripts/pipeline/lib.sh
source "$(dirname "$0")/lib.sh"

step "virtualenv (make install)"
make install

mapfile -t scripts < <(shell_scripts)
step "shellcheck: ${#scripts[@]} scripts"
shellcheck --external-sources "${scripts[@]}"

mapfile -t yamls < <(yaml_files)
step "yamllint: ${#yamls[@]} files"
yamllint --strict "${yamls[@]}"

mapfile -t dockerfiles < <(dockerfiles)
step "hadolint: ${#dockerfiles[@]} Dockerfiles"
hadolint --config .hadolint.yaml "${dockerfiles[@]}"

step "ruff, tests and coverage (make test)"
rm -f "$REPORTS/junit.xml" coverage.xml
without_deployment_settings PYTEST_ADDOPTS="--junitxml=$REPORTS/junit.xml ${PYTEST_ADDOPTS:-}" make test
coverage_total="$(coverage report --format=total)"
gate="$(python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["tool"]["coverage"]["report"]["fail_under"])')"
echo "coverage ${coverage_total}% (gate ${gate}%); reports: $REPORTS/junit.xml, coverage.xml"
echo "coverage ${coverage_total}% (gate ${gate}%)" >"$REPORTS/stage-1.summary"
