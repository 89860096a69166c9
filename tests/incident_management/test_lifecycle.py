"""Status transitions and MTTA/MTTR stamping, without a database."""

import datetime as dt

import pytest

from incident_management.lifecycle.rules import TransitionRefused, allowed_transitions, plan_transition

CREATED = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
LATER = CREATED + dt.timedelta(minutes=3)


def incident(status, acknowledged_at=None):
    return {"status": status, "created_at": CREATED, "acknowledged_at": acknowledged_at}


@pytest.mark.parametrize(
    ("current", "allowed"),
    [
        ("open", ["acknowledged", "in_progress", "resolved"]),
        ("acknowledged", ["in_progress", "resolved"]),
        ("in_progress", ["resolved"]),
        ("resolved", []),
    ],
)
def test_allowed_transitions(current, allowed):
    assert allowed_transitions(current) == allowed


def test_acknowledging_stamps_mtta():
    assert plan_transition(incident("open"), "acknowledged", LATER) == {
        "status": "acknowledged",
        "acknowledged_at": LATER,
        "mtta_seconds": 180.0,
    }


def test_resolving_an_acknowledged_incident_stamps_mttr_only():
    changes = plan_transition(incident("acknowledged", acknowledged_at=CREATED), "resolved", LATER)
    assert changes == {"status": "resolved", "resolved_at": LATER, "mttr_seconds": 180.0}


def test_skipping_forward_acknowledges_too():
    changes = plan_transition(incident("open"), "resolved", LATER)
    assert changes["acknowledged_at"] == changes["resolved_at"] == LATER
    assert changes["mtta_seconds"] == changes["mttr_seconds"] == 180.0


def test_start_work_stamps_in_progress():
    changes = plan_transition(incident("acknowledged", acknowledged_at=CREATED), "in_progress", LATER)
    assert changes == {"status": "in_progress", "in_progress_at": LATER}


@pytest.mark.parametrize("status", ["open", "acknowledged", "in_progress", "resolved"])
def test_same_status_changes_nothing(status):
    assert plan_transition(incident(status, acknowledged_at=CREATED), status, LATER) == {}


@pytest.mark.parametrize(
    ("current", "target"),
    [("acknowledged", "open"), ("in_progress", "acknowledged"), ("resolved", "open"), ("resolved", "in_progress")],
)
def test_backwards_is_refused_with_a_reason(current, target):
    with pytest.raises(TransitionRefused, match=f"from {current} back to {target}"):
        plan_transition(incident(current, acknowledged_at=CREATED), target, LATER)
