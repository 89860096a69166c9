"""Stage 5, post-deployment verification of a running platform (Docker or the native stack).

1. every component answers its health check (waiting while a fresh deployment starts);
2. a smoke alert posted to alert ingestion becomes an incident, readable from incident management
   directly and through the web UI's gateway, with the alert attached and the timeline started;
3. Prometheus scrapes every target it is configured for;
4. the smoke incident is resolved again, so the deployment is left as it was found (bar that record).

With auth on, the API calls carry an admin's API token: ADMIN_API_KEY from the environment, else the one
`make up` generated in the stack's state folder (STACK_DIR, default .stack: secrets/admin-api-key).

Usage: python scripts/pipeline/verify.py --target docker|podman|native [--port-offset N] [--timeout SECONDS]
"""

import argparse
import os
import pathlib
import sys
import time
import uuid

import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nativestack import components  # noqa: E402 (the repository root is put on the path first)

# SPEC's ports of the components the checks talk to (names differ between compose and the native stack).
ALERT_INGESTION, INCIDENT_MANAGEMENT, GATEWAY, PROMETHEUS = 8001, 8002, 8080, 9090
# What docker-compose.yml publishes on the host (component name, port, health path).
DOCKER_ENDPOINTS = [
    ("alert_ingestion", 8001, "/health"),
    ("incident_management", 8002, "/health"),
    ("oncall_service", 8003, "/health"),
    ("notification_service", 8004, "/health"),
    ("web_ui", 8080, "/health"),
    ("prometheus", 9090, "/-/healthy"),
    ("alertmanager", 9093, "/-/healthy"),
    ("grafana", 3000, "/api/health"),
]


# Every request of the checks (with the admin's token once main() found one).
HTTP = requests.Session()


def admin_token():
    """ADMIN_API_KEY, else the token `make up` generated for the stack, else None (auth off)."""
    if os.environ.get("ADMIN_API_KEY"):
        return os.environ["ADMIN_API_KEY"]
    generated = pathlib.Path(os.environ.get("STACK_DIR") or ROOT / ".stack") / "secrets" / "admin-api-key"
    return generated.read_text().strip() if generated.exists() else None


class VerificationFailed(Exception):
    """The deployment does not do what it must."""


class Deployment:
    """The components of one deployment: their names, base URLs and health paths, found by SPEC port."""

    def __init__(self, listed, port_offset):
        self.health = {name: f"http://127.0.0.1:{port + port_offset}{path}" for name, port, path in listed}
        self._base = {port: f"http://127.0.0.1:{port + port_offset}" for _, port, _ in listed}

    @classmethod
    def of(cls, target, port_offset):
        if target == "docker":
            return cls(DOCKER_ENDPOINTS, port_offset)
        if target == "podman":  # the compose stack without Grafana, whose image cannot be had there
            return cls([e for e in DOCKER_ENDPOINTS if e[0] != "grafana"], port_offset)
        return cls([(c.name, c.port, c.health_path) for c in components.COMPONENTS], port_offset)

    def url(self, spec_port):
        """Base URL of the component on SPEC port `spec_port`, or None when the deployment has none."""
        return self._base.get(spec_port)


def wait_healthy(deployment, timeout):
    """Poll every health URL until each answers 200; fail naming those that never did and why."""
    pending = dict(deployment.health)
    last_answer = {}
    deadline = time.monotonic() + timeout
    while pending:
        for name, url in list(pending.items()):
            try:
                response = HTTP.get(url, timeout=3)
                last_answer[name] = f"{response.status_code} {response.text[:120].strip()}"
                if response.status_code == 200:
                    print(f"  healthy  {name:<22} {url}")
                    del pending[name]
            except requests.RequestException as exc:
                last_answer[name] = type(exc).__name__
        if pending and time.monotonic() > deadline:
            details = "; ".join(f"{name} ({pending[name]}): {last_answer.get(name)}" for name in pending)
            raise VerificationFailed(f"not healthy after {timeout:.0f}s: {details}")
        if pending:
            time.sleep(1)


def expect(response, status, what):
    if response.status_code != status:
        raise VerificationFailed(f"{what}: expected {status}, got {response.status_code} {response.text[:300]}")
    return response.json()


def post_smoke_alert(deployment, label, timeout):
    """Post an alert that must open an incident of its own; return (alert id, incident id, its service)."""
    alerts_url = deployment.url(ALERT_INGESTION) + "/api/v1/alerts"
    service = f"pipeline-smoke-{label}-{uuid.uuid4().hex[:8]}"
    alert = {
        "service": service,
        "severity": "low",
        "message": "post-deployment smoke alert from run-pipeline.sh",
        "labels": {"source": "run-pipeline", "commit": label},
        "dedup_key": f"{service}-smoke",
    }
    # Alert sources send an integration key or nothing (INGEST_REQUIRE_KEY=false): never a user's token.
    response = HTTP.post(alerts_url, json=alert, timeout=10, headers={"Authorization": None})
    if response.status_code not in (201, 202):
        raise VerificationFailed(f"POST {alerts_url}: expected 201, got {response.status_code} {response.text[:300]}")
    accepted = response.json()
    print(f"  alert {accepted['alert_id']} accepted ({response.status_code}, {accepted['result']})")
    if accepted["result"] not in ("new_incident", "pending"):
        raise VerificationFailed(f"a first alert for {service} should open a new incident, got {accepted['result']}")
    incident_id = accepted["incident_id"] or _wait_correlated(alerts_url, accepted["alert_id"], timeout)
    return accepted["alert_id"], incident_id, service


def check_incident(deployment, alert_id, incident_id, service):
    """The incident exists, is open, holds the alert and has a timeline; the gateway serves it too."""
    incidents_url = deployment.url(INCIDENT_MANAGEMENT) + "/api/v1/incidents"
    incident = expect(HTTP.get(f"{incidents_url}/{incident_id}", timeout=10), 200, "GET the incident")
    if incident["service"] != service or incident["status"] != "open":
        raise VerificationFailed(f"incident {incident_id} is {incident['status']} for {incident['service']}")
    if alert_id not in {a["id"] for a in incident["alerts"]}:
        raise VerificationFailed(f"alert {alert_id} is not attached to incident {incident_id}")
    events = [event["event_type"] for event in incident["timeline"]]
    print(f"  incident {incident_id} open for {service}; timeline: {', '.join(events)}")
    if deployment.url(GATEWAY):
        via_gateway = f"{deployment.url(GATEWAY)}/api/v1/incidents/{incident_id}"
        routed = expect(HTTP.get(via_gateway, timeout=10), 200, f"GET {via_gateway} (the gateway)")
        if routed["id"] != incident_id:
            raise VerificationFailed(f"the gateway answered incident {routed['id']} for {incident_id}")
        print(f"  the gateway routes {via_gateway}")


def _wait_correlated(alerts_url, alert_id, timeout):
    """A 202 means stored but not yet correlated: wait for the outbox to deliver it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alert = expect(HTTP.get(f"{alerts_url}/{alert_id}", timeout=10), 200, "GET the alert")
        if alert.get("incident_id"):
            return alert["incident_id"]
        time.sleep(1)
    raise VerificationFailed(f"alert {alert_id} was not correlated into an incident within {timeout:.0f}s")


def prometheus_targets_up(deployment, timeout):
    """Every target Prometheus is configured to scrape answers (a fresh deployment gets a few scrapes' time)."""
    if not deployment.url(PROMETHEUS):
        return
    url = deployment.url(PROMETHEUS) + "/api/v1/targets?state=active"
    deadline = time.monotonic() + timeout
    while True:
        targets = expect(HTTP.get(url, timeout=10), 200, "GET Prometheus targets")["data"]["activeTargets"]
        down = [f"{t['scrapeUrl']} {t['health']} {t['lastError']}" for t in targets if t["health"] != "up"]
        if targets and not down:
            print(f"  Prometheus scrapes {len(targets)} targets, all up")
            return
        if time.monotonic() > deadline:
            raise VerificationFailed("Prometheus targets not up: " + ("; ".join(down) or "none configured"))
        time.sleep(2)


def resolve(deployment, incident_id):
    url = f"{deployment.url(INCIDENT_MANAGEMENT)}/api/v1/incidents/{incident_id}"
    body = {"status": "resolved", "actor": "run-pipeline", "note": {"author": "run-pipeline", "content": "smoke test"}}
    resolved = expect(HTTP.patch(url, json=body, timeout=10), 200, "PATCH the smoke incident to resolved")
    print(f"  smoke incident resolved (MTTR {resolved['mttr_seconds']:.1f}s)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=("docker", "podman", "native"), required=True)
    parser.add_argument("--port-offset", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for health and scrapes")
    parser.add_argument("--label", default="manual", help="names the smoke alert's service (the pipeline: commit)")
    args = parser.parse_args(argv)
    deployment = Deployment.of(args.target, args.port_offset)
    token = admin_token()
    if token:
        HTTP.headers["Authorization"] = f"Bearer {token}"
    incident_id, failures = None, []
    try:
        print("health:")
        wait_healthy(deployment, args.timeout)
        print("smoke alert:")
        alert_id, incident_id, service = post_smoke_alert(deployment, args.label, args.timeout)
        check_incident(deployment, alert_id, incident_id, service)
        print("scraping:")
        prometheus_targets_up(deployment, args.timeout)
    except (VerificationFailed, requests.RequestException) as exc:
        failures.append(f"verification FAILED: {exc}")
    if incident_id:
        print("cleanup:")
        try:
            resolve(deployment, incident_id)
        except (VerificationFailed, requests.RequestException) as exc:
            failures.append(f"cleanup FAILED: {exc}")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    print(f"verified: {len(deployment.health)} components healthy, smoke alert became incident {incident_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
