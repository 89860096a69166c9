"""A paged person's notification rules, over real HTTP between the three services: the first method with the
page, the next one when its delay has passed (a paging job due then), none of it after an acknowledgement."""

import pytest

from incident_management.paging import jobs as paging_jobs
from servicekit.http import ServiceClient
from tests.ports import free_port


@pytest.fixture
def paging(escalation):
    escalation.im_app.config["PAGING_CONTACT_METHODS"] = True
    escalation.schedule()
    return escalation


def rules(paging, email, *rules):
    """Give the user log contact methods (verified as they are) and a rule for each (address, delay)."""
    user = paging.oncall.get("/api/v1/users", query_string={"email": email}).json["items"][0]["id"]
    methods = {}
    for address, delay in rules:
        if address not in methods:
            made = paging.oncall.post(f"/api/v1/users/{user}/contact-methods", json={"type": "log", "address": address})
            assert made.status_code == 201, made.json
            methods[address] = made.json["id"]
        body = {"contact_method_id": methods[address], "delay_seconds": delay}
        assert paging.oncall.post(f"/api/v1/users/{user}/notification-rules", json=body).status_code == 201


def delivered(paging, incident_id):
    answer = paging.notifications.get(f"/api/v1/notifications?incident_id={incident_id}").json
    return [n["recipient"] for n in reversed(answer["items"])]


def waiting(paging, incident_id):
    """(recipient, seconds from now until due) of the incident's later deliveries."""
    rows = paging.sql(
        "SELECT payload->'delivery'->'target'->>'recipient', extract(epoch FROM next_attempt_at - now()) "
        "FROM paging_jobs WHERE incident_id = %s AND payload ? 'delivery' ORDER BY next_attempt_at",
        (incident_id,),
    )
    return [(recipient, float(seconds)) for recipient, seconds in rows]


def make_later_due(paging, incident_id):
    paging.sql("UPDATE paging_jobs SET next_attempt_at = now() WHERE incident_id = %s", (incident_id,))
    while paging_jobs.run_due(paging.im_app):
        pass


def test_the_first_method_at_once_the_second_after_its_delay(paging):
    rules(paging, "alice@example.com", ("alice-slack", 120), ("alice-email", 0))
    incident = paging.open()

    assert delivered(paging, incident["id"]) == ["alice-email"]
    [(recipient, due_in)] = waiting(paging, incident["id"])
    assert recipient == "alice-slack" and 110 < due_in <= 120

    make_later_due(paging, incident["id"])

    assert delivered(paging, incident["id"]) == ["alice-email", "alice-slack"]
    assert waiting(paging, incident["id"]) == []
    events = paging.events(incident["id"], "notified")
    notified = [(e["detail"]["recipient"], e["detail"].get("after_seconds")) for e in events]
    assert notified == [("alice-email", None), ("alice-slack", 120)]


def test_an_acknowledgement_before_the_delay_stops_the_rest(paging):
    rules(paging, "alice@example.com", ("alice-now", 0), ("alice-2min", 120), ("alice-5min", 300))
    incident = paging.open()
    assert [r for r, _ in waiting(paging, incident["id"])] == ["alice-2min", "alice-5min"]

    acked = paging.im.patch(f"/api/v1/incidents/{incident['id']}", json={"status": "acknowledged", "actor": "sam"})
    assert acked.status_code == 200, acked.json
    make_later_due(paging, incident["id"])

    # Alice heard of Sam's acknowledgement where her page went first; nothing else reached her.
    assert delivered(paging, incident["id"]) == ["alice-now", "alice-now"]
    assert paging.sql("SELECT count(*) FROM paging_jobs WHERE incident_id = %s", (incident["id"],)) == [(0,)]


def test_an_escalation_pages_the_next_person_by_their_rules(paging):
    rules(paging, "sam@example.com", ("sam-push", 0), ("sam-push-again", 60))
    incident = paging.open()
    paging.make_due(incident["id"])
    assert paging.run_due() == 1

    assert paging.pages(incident["id"]) == ["alice@example.com", "sam-push"]
    assert [r for r, _ in waiting(paging, incident["id"])] == ["sam-push-again"]
    make_later_due(paging, incident["id"])
    assert delivered(paging, incident["id"]) == ["alice@example.com", "sam-push", "sam-push-again"]


def test_a_failed_delivery_is_retried_without_queueing_the_later_ones_twice(paging):
    rules(paging, "alice@example.com", ("alice-now", 0), ("alice-later", 60))
    clients = paging.im_app.extensions["incident_management.paging"]
    working = clients["notifications"]
    clients["notifications"] = ServiceClient(f"http://127.0.0.1:{free_port()}", timeout=(0.2, 0.5), retries=0)
    incident = paging.open()  # the page is looked up, its later delivery queued, the first delivery fails
    assert delivered(paging, incident["id"]) == []
    [failed] = paging.events(incident["id"], "paging_failed")
    assert failed["detail"]["will_retry"] is True

    clients["notifications"] = working
    paging.sql("UPDATE paging_jobs SET next_attempt_at = now() WHERE NOT payload ? 'delivery'")
    paging.page()
    assert delivered(paging, incident["id"]) == ["alice-now"]
    assert [r for r, _ in waiting(paging, incident["id"])] == ["alice-later"]
    make_later_due(paging, incident["id"])
    assert delivered(paging, incident["id"]) == ["alice-now", "alice-later"]


def test_a_notice_goes_to_each_method_once_at_once(paging):
    rules(paging, "alice@example.com", ("alice-push", 0), ("alice-push", 300))
    incident = paging.open()
    make_later_due(paging, incident["id"])
    assert delivered(paging, incident["id"]) == ["alice-push", "alice-push"]  # a reminder is not folded

    resolved = paging.im.patch(f"/api/v1/incidents/{incident['id']}", json={"status": "resolved", "actor": "sam"})
    assert resolved.status_code == 200
    paging.page()  # the notice is due at once: no delay applies to it
    assert delivered(paging, incident["id"]) == ["alice-push", "alice-push", "alice-push"]
