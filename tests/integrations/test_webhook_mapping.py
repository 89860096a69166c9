"""The mapping rules of the generic webhook, as a table: pure functions, no database."""

import json
import pathlib
import re

import jsonschema
import pytest

from alert_ingestion.webhook import mapping, validation

BODY = {
    "event": {"name": "Disk full", "severity": "Disaster", "tags": ["db", "prod"]},
    "host": "db-1",
    "count": 3,
    "up": False,
    "url": "https://zabbix.example.com/e/1",
}


@pytest.mark.parametrize(
    ("spec", "found"),
    [
        ("host", "db-1"),
        ("event.name", "Disk full"),
        ("event.tags.1", "prod"),
        ("event.tags.7", None),
        ("event.missing.deeper", None),
        ("host.deeper", None),
        ({"value": "zabbix"}, "zabbix"),
        ({"path": "event.severity", "map": {"Disaster": "critical"}}, "critical"),
        ({"path": "event.severity", "map": {"disaster": "critical"}}, "critical"),  # case-insensitive fallback
        ({"path": "event.severity", "map": {"High": "high"}, "default": "medium"}, "medium"),
        ({"path": "nowhere", "default": "low"}, "low"),
        ({"path": "count", "map": {"3": "high"}}, "high"),
        ({"template": "{event.name} on {host} ({count}, up={up})"}, "Disk full on db-1 (3, up=false)"),
        ({"template": "{nowhere}"}, None),
        ({"template": "{nowhere}", "default": "unnamed"}, "unnamed"),
    ],
)
def test_a_spec_finds_its_value(spec, found):
    assert mapping.value_of(BODY, spec) == found


def test_a_mapping_makes_an_alert_of_a_body():
    rules = {
        "service": "host",
        "severity": {"path": "event.severity", "map": {"Disaster": "critical"}},
        "message": {"template": "{event.name} on {host}"},
        "dedup_key": "count",
        "labels": {"tags": "event.tags", "count": "count", "up": "up", "missing": "nowhere"},
        "links": [{"href": "url", "text": {"value": "Zabbix"}}, {"href": "nowhere"}],
    }
    assert mapping.to_platform_alert(rules, BODY) == {
        "service": "db-1",
        "severity": "critical",
        "message": "Disk full on db-1",
        "dedup_key": "3",
        "labels": {"tags": '["db", "prod"]', "count": 3, "up": False},
        "links": [{"href": "https://zabbix.example.com/e/1", "text": "Zabbix"}],
    }


def test_without_a_mapping_the_body_is_the_platforms_own_alert():
    body = {"service": "s", "severity": "low", "message": "m", "labels": {"a": "b"}, "dedup_key": "k"}
    assert mapping.to_platform_alert(None, body) == {**body, "links": []}


@pytest.mark.parametrize(
    ("value", "resolves"), [("RESOLVED", True), ("resolved", True), ("PROBLEM", False), (None, False)]
)
def test_the_resolve_rule(value, resolves):
    rules = {"service": "host", "message": "host", "resolve": {"path": "status", "equals": ["RESOLVED"]}}
    assert mapping.resolves(rules, {"status": value}) is resolves
    assert mapping.resolves({"service": "host", "message": "host"}, {"status": "RESOLVED"}) is False


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"service": "host"}, "_schema"),
        ({"service": "host", "message": "", "severity": "x"}, "message"),
        ({"service": "host", "message": "a..b"}, "message"),
        ({"service": 5, "message": "m"}, "service"),
        ({"service": {"path": "a", "value": "b"}, "message": "m"}, "service"),
        ({"service": {"path": "a", "color": "b"}, "message": "m"}, "service"),
        ({"service": {"value": "a", "map": {}}, "message": "m"}, "service"),
        ({"service": {"template": " "}, "message": "m"}, "service"),
        ({"service": "s", "message": "m", "owner": "x"}, "owner"),
        ({"service": "s", "message": "m", "labels": ["a"]}, "labels"),
        ({"service": "s", "message": "m", "labels": {"a": 1}}, "labels"),
        ({"service": "s", "message": "m", "links": [{"text": {"value": "x"}}]}, "links"),
        ({"service": "s", "message": "m", "links": {"href": "u"}}, "links"),
        ({"service": "s", "message": "m", "resolve": {"path": "status"}}, "resolve"),
        ({"service": "s", "message": "m", "resolve": {"path": "status", "equals": []}}, "resolve"),
        ({"service": "s", "message": "m", "labels": {f"l{n}": "x" * 200 for n in range(100)}}, "_schema"),
        ([], "_schema"),
    ],
)
def test_a_bad_mapping_names_its_field_and_the_documents_schema_refuses_it_too(rules, field):
    assert field in validation.problems(rules)
    if field != "_schema" or rules == {"service": "host"}:  # JSON Schema does not count bytes
        assert not _schema_accepts(rules)


def _schema_accepts(rules):
    try:
        jsonschema.validate(rules, {"type": "object", **validation.MAPPING_SCHEMA})
    except jsonschema.ValidationError:
        return False
    return True


def test_the_documented_mappings_are_good(payload):
    for name in ("datadog_mapping", "zabbix_mapping"):
        assert validation.problems(payload(name)) == {}
        assert _schema_accepts(payload(name))


def test_the_mappings_in_the_documentation_are_the_tested_ones(payload):
    text = (pathlib.Path(__file__).parents[2] / "docs" / "integrations.md").read_text()
    blocks = [json.loads(block) for block in re.findall(r"```json\n(.*?)\n```", text, re.S)]
    documented = [block for block in blocks if "resolve" in block]
    assert documented == [payload("datadog_mapping"), payload("zabbix_mapping")]
