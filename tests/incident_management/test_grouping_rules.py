"""Grouping rules without a database: fields, group keys, the threshold, and the correlation rule with groups."""

import datetime as dt

import pytest

from incident_management.correlation.rules import matches, pick_incident
from incident_management.grouping.rules import field_value, group_key, invalid_field, opens_incident

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
ALERT = {
    "service": "payments",
    "severity": "critical",
    "message": "disk full",
    "source": "alertmanager",
    "labels": {"alertname": "DiskFull", "instance": "db-1", "replicas": 3},
}


@pytest.mark.parametrize(
    ("path", "valid"),
    [
        ("labels.alertname", True),
        ("labels.kubernetes.io/name", True),
        ("message", True),
        ("source", True),
        ("labels.", False),
        ("labels", False),
        ("severity", False),  # already part of every group
        ("labels.a b", False),
        ("labels.a\n", False),
        ("", False),
        (3, False),
    ],
)
def test_invalid_field(path, valid):
    assert (invalid_field(path) is None) is valid


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("labels.alertname", "DiskFull"),
        ("labels.missing", None),
        ("labels.replicas", "3"),  # not text: its JSON
        ("message", "disk full"),
        ("source", "alertmanager"),
    ],
)
def test_field_value(path, value):
    assert field_value(ALERT, path) == value


@pytest.mark.parametrize(
    ("rule", "alert", "key"),
    [
        (None, ALERT, None),  # no rule: the default grouping
        ({"group_by": ["labels.alertname"]}, ALERT, '["DiskFull"]'),
        ({"group_by": ["labels.alertname", "labels.instance"]}, ALERT, '["DiskFull","db-1"]'),
        ({"group_by": ["labels.instance", "labels.alertname"]}, ALERT, '["db-1","DiskFull"]'),  # order counts
        ({"group_by": ["labels.alertname"]}, {**ALERT, "labels": {}}, "[null]"),
        ({"group_by": ["labels.alertname"]}, {**ALERT, "labels": None}, "[null]"),
        ({"group_by": ["labels.team"]}, {**ALERT, "labels": {"team": "é"}}, '["é"]'),
    ],
)
def test_group_key(rule, alert, key):
    assert group_key(rule, alert) == key


def test_group_keys_tell_apart_what_differs():
    rule = {"group_by": ["labels.alertname"]}
    other = {**ALERT, "labels": {**ALERT["labels"], "alertname": "HighLatency"}}
    assert group_key(rule, ALERT) != group_key(rule, other)
    assert group_key(rule, ALERT) == group_key(rule, {**ALERT, "message": "another text"})


@pytest.mark.parametrize("character", ["x", "é", "🔥"])
def test_group_key_is_bounded_in_bytes_and_stays_text(character):
    key = group_key({"group_by": ["message"]}, {**ALERT, "message": character * 5000})
    assert 2000 - len(character.encode()) < len(key.encode()) <= 2000
    assert key == '["' + character * key.count(character)


@pytest.mark.parametrize(
    ("rule", "alerts_in_group", "opens"),
    [
        (None, 1, True),
        ({"threshold": 1}, 1, True),
        ({"threshold": 3}, 1, False),
        ({"threshold": 3}, 2, False),
        ({"threshold": 3}, 3, True),
        ({"threshold": 3}, 4, True),
        ({"threshold": None}, 1, True),
    ],
)
def test_opens_incident(rule, alerts_in_group, opens):
    assert opens_incident(rule, alerts_in_group) is opens


def incident(group, age_seconds=10, name="i"):
    created = NOW - dt.timedelta(seconds=age_seconds)
    return {"id": name, "service": "payments", "severity": "critical", "status": "open", "created_at": created,
            "group_key": group}  # fmt: skip


@pytest.mark.parametrize(
    ("candidate_group", "alert_group", "expected"),
    [
        (None, None, True),  # the default: service and severity only
        ('["DiskFull"]', '["DiskFull"]', True),
        ('["DiskFull"]', '["HighLatency"]', False),
        (None, '["DiskFull"]', False),  # opened before the rule: the rule's groups start afresh
        ('["DiskFull"]', None, False),  # opened under a rule since removed
    ],
)
def test_matches_compares_groups(candidate_group, alert_group, expected):
    assert matches(incident(candidate_group), ALERT, NOW, 300, alert_group) is expected


def test_pick_incident_joins_the_newest_of_its_group():
    candidates = [incident('["A"]', 20, "a-new"), incident('["B"]', 5, "b"), incident('["A"]', 200, "a-old")]
    assert pick_incident(candidates, ALERT, NOW, 300, '["A"]')["id"] == "a-new"
    assert pick_incident(candidates, ALERT, NOW, 300, '["C"]') is None
