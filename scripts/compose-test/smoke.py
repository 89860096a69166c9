"""The smoke flow through the containers' published ports: alert -> incident -> assigned -> paged ->
acknowledged -> resolved, then the metrics of it in Prometheus. Each step prints what it saw."""

import time
import uuid

import requests

INGESTION, INCIDENTS, ONCALL, NOTIFICATIONS = (f"http://127.0.0.1:{p}" for p in (8001, 8002, 8003, 8004))
GATEWAY, PROMETHEUS = "http://127.0.0.1:8080", "http://127.0.0.1:9090"
# Every request of the flow; run() gives it the admin's API token (auth is on in compose).
HTTP = requests.Session()


class SmokeFailed(Exception):
    pass


def _expect(response, status, what):
    if response.status_code != status:
        raise SmokeFailed(f"{what}: expected {status}, got {response.status_code}: {response.text[:300]}")
    return response.json()


def _until(what, probe, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise SmokeFailed(f"{what}: not within {timeout}s")
        time.sleep(1)


def run(log=print, token=None):
    if token:
        HTTP.headers["Authorization"] = f"Bearer {token}"
    suffix = uuid.uuid4().hex[:8]
    team, service = f"compose-test-{suffix}", f"compose-smoke-{suffix}"
    _expect(
        HTTP.post(f"{ONCALL}/api/v1/schedules", timeout=10, json={
            "team": team, "rotation_type": "weekly", "escalation_timeout_seconds": 300,
            "members": [
                {"name": "Alice", "email": "alice@example.com", "role": "primary"},
                {"name": "Dan", "email": "dan@example.com", "role": "primary"},
                {"name": "Bob", "email": "bob@example.com", "role": "secondary"},
            ],
        }),
        201, "create the schedule",
    )  # fmt: skip
    on_call = _expect(HTTP.get(f"{ONCALL}/api/v1/oncall/current", params={"team": team}, timeout=10), 200, "who")
    primary = on_call["primary"]["name"]
    log(f"  schedule   team {team}, on call now: {primary}")

    # Alert sources send an integration key or nothing (INGEST_REQUIRE_KEY=false): never a user's token.
    alert = _expect(
        HTTP.post(f"{INGESTION}/api/v1/alerts", timeout=10, headers={"Authorization": None}, json={
            "service": service, "severity": "critical", "message": "compose test: p99 latency above 2s",
            "labels": {"team": team},
        }),
        201, "post the alert",
    )  # fmt: skip
    incident_id = alert["incident_id"]
    log(f"  alert      {alert['alert_id']} -> {alert['result']}")
    log(f"  incident   {incident_id}")

    def incident():
        return _expect(HTTP.get(f"{INCIDENTS}/api/v1/incidents/{incident_id}", timeout=10), 200, "incident")

    def events():
        return [event["event_type"] for event in incident()["timeline"]]

    assigned = _until("assigned to the on-call primary", lambda: incident().get("assigned_to"))
    if assigned != primary:
        raise SmokeFailed(f"assigned to {assigned}, not the on-call primary {primary}")
    log(f"  assigned   {assigned}")
    _until("paged (timeline: notified)", lambda: "notified" in events())

    def sent():
        answer = HTTP.get(f"{NOTIFICATIONS}/api/v1/notifications", params={"incident_id": incident_id}, timeout=10)
        return [n for n in _expect(answer, 200, "notifications")["items"] if n.get("status") == "sent"]

    pages = _until("the page delivered by the notification service", sent)
    log(f"  paged      {pages[0]['recipient']} over {pages[0]['channel']} (notification {pages[0]['id']}, sent)")

    for status in ("acknowledged", "resolved"):
        body = {"status": status, "actor": primary.lower()}
        if status == "resolved":
            body["note"] = {"author": primary.lower(), "content": "compose test: rolled back"}
        changed = _expect(HTTP.patch(f"{INCIDENTS}/api/v1/incidents/{incident_id}", json=body, timeout=10), 200, status)
        log(f"  {status:<10} at {changed.get(f'{status}_at')}")
    through_gateway = _expect(HTTP.get(f"{GATEWAY}/api/v1/incidents/{incident_id}", timeout=10), 200, "gateway")
    metrics = _expect(HTTP.get(f"{INCIDENTS}/api/v1/incidents/{incident_id}/metrics", timeout=10), 200, "MTTA")
    log(f"  gateway    status {through_gateway['status']}; timeline: {', '.join(events())}")
    log(f"  metrics    MTTA {metrics.get('mtta_seconds')} s, MTTR {metrics.get('mttr_seconds')} s")
    prometheus(log)


def _query(expression):
    answer = HTTP.get(f"{PROMETHEUS}/api/v1/query", params={"query": expression}, timeout=10)
    return _expect(answer, 200, f"Prometheus query {expression}")["data"]["result"]


def prometheus(log=print):
    """Every scrape target up (Grafana is not started, and is no target), and the smoke flow counted."""

    def targets():
        answer = HTTP.get(f"{PROMETHEUS}/api/v1/targets", timeout=10)
        active = _expect(answer, 200, "Prometheus targets")["data"]["activeTargets"]
        return active if active and all(t["health"] == "up" for t in active) else None

    up = _until("every Prometheus target up", targets, timeout=90)
    log(f"  prometheus {len(up)} targets up: {', '.join(sorted(t['labels']['job'] for t in up))}")
    for expression in (
        'sum(alerts_received_total{severity="critical"})',
        'sum(incidents_total{status="resolved"})',
        "sum(incident_mttr_seconds_count)",
    ):
        result = _until(f"{expression} > 0", lambda e=expression: [r for r in _query(e) if float(r["value"][1]) > 0],
                        timeout=60)  # fmt: skip
        log(f"  prometheus {expression} = {result[0]['value'][1]}")
