"""Rate limits of ingestion: per integration key and per client address, 429 with Retry-After, across workers."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from alert_ingestion.ratelimit import limiter, repository
from tests.alert_ingestion.conftest import bearer

ALERT = {"service": "payments", "severity": "critical", "message": "p99 latency above 2s"}


def limited(make_ingestion, **config):
    """An app with its limits in `config`; windows of an hour, so that no test runs across the end of one."""
    defaults = {
        "INGEST_RATE_LIMIT_PER_ADDRESS": 1000,
        "INGEST_RATE_LIMIT_PER_KEY": 1000,
        "INGEST_RATE_WINDOW_SECONDS": 3600,
    }
    return make_ingestion(**{**defaults, **config})


def post(client, headers=None, address="10.0.0.7", **overrides):
    return client.post(
        "/api/v1/alerts", json={**ALERT, **overrides}, headers=headers, environ_base={"REMOTE_ADDR": address}
    )


def test_an_address_over_its_limit_gets_429_with_retry_after_and_nothing_stored(make_ingestion, sql):
    client = limited(make_ingestion, INGEST_RATE_LIMIT_PER_ADDRESS=3).test_client()
    assert [post(client).status_code for _ in range(3)] == [201, 201, 201]
    refused = post(client)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert refused.json["code"] == 429
    assert refused.json["message"].startswith("rate limit exceeded: client address 10.0.0.7 may send 3 requests")
    assert sql("SELECT count(*) FROM alerts") == [(3,)]
    assert post(client, address="10.0.0.8").status_code == 201  # another address has its own window


def test_a_key_over_its_limit_is_refused_while_other_keys_go_on(make_ingestion, make_key):
    client = limited(make_ingestion, INGEST_RATE_LIMIT_PER_KEY=2).test_client()
    first, second = make_key(client, name="first"), make_key(client, name="second")
    assert [post(client, bearer(first["key"])).status_code for _ in range(2)] == [201, 201]
    refused = post(client, bearer(first["key"]), address="10.9.9.9")  # from anywhere: the key is over
    assert refused.status_code == 429
    assert "integration key 'first' may send 2 requests per 3600 seconds" in refused.json["message"]
    assert post(client, bearer(second["key"])).status_code == 201
    assert post(client).status_code == 201


def test_wrong_keys_count_against_their_address(make_ingestion):
    client = limited(make_ingestion, INGEST_RATE_LIMIT_PER_ADDRESS=2).test_client()
    wrong = bearer("ipk_" + "W" * 43)
    assert [post(client, wrong).status_code for _ in range(3)] == [401, 401, 429]


def test_an_alertmanager_notification_counts_once_whatever_its_alerts(make_ingestion, sql):
    client = limited(make_ingestion, INGEST_RATE_LIMIT_PER_ADDRESS=2).test_client()
    alerts = [{"status": "firing", "labels": {"alertname": f"A{n}", "service": "s"}} for n in range(5)]
    body = {"version": "4", "status": "firing", "alerts": alerts}
    codes = [client.post("/api/v1/alerts/alertmanager", json=body).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert sql("SELECT count(*) FROM alerts") == [(5,)]  # the second is the same alerts again (fingerprints)


def test_reading_is_not_limited(make_ingestion):
    client = limited(make_ingestion, INGEST_RATE_LIMIT_PER_ADDRESS=1).test_client()
    post(client, address="127.0.0.1")
    assert post(client, address="127.0.0.1").status_code == 429
    assert [client.get("/api/v1/alerts").status_code for _ in range(3)] == [200, 200, 200]


def test_zero_turns_a_limit_off(make_ingestion, sql):
    client = make_ingestion(INGEST_RATE_LIMIT_PER_ADDRESS=0, INGEST_RATE_LIMIT_PER_KEY=0).test_client()
    assert {post(client).status_code for _ in range(5)} == {201}
    assert sql("SELECT count(*) FROM ingest_rate_windows") == [(0,)]


def test_the_window_ends_and_the_address_may_send_again(make_ingestion):
    client = limited(make_ingestion, INGEST_RATE_LIMIT_PER_ADDRESS=1, INGEST_RATE_WINDOW_SECONDS=2).test_client()
    time.sleep(2 - time.time() % 2)  # windows start at multiples of their length: begin at the start of one
    post(client)
    refused = post(client)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) <= 2
    time.sleep(int(refused.headers["Retry-After"]) + 0.1)
    assert post(client).status_code == 201


def test_several_workers_share_one_count_exactly(make_ingestion, sql):
    """Three apps (each its own caches, as gunicorn workers have) and 30 simultaneous requests: 7 accepted."""
    workers = [limited(make_ingestion, INGEST_RATE_LIMIT_PER_ADDRESS=7) for _ in range(3)]
    barrier = threading.Barrier(30)

    def send(number):
        with workers[number % 3].test_client() as client:
            barrier.wait()
            return post(client, message=f"m{number}").status_code

    with ThreadPoolExecutor(30) as pool:
        codes = list(pool.map(send, range(30)))
    assert (codes.count(201), codes.count(429)) == (7, 23)
    assert sql("SELECT count(*) FROM alerts") == [(7,)]
    [(hits,)] = sql("SELECT hits FROM ingest_rate_windows WHERE bucket = 'addr:10.0.0.7'")
    # Each request is counted at most once; a worker that has seen the limit passed refuses the rest from memory.
    assert 8 <= hits <= 30


def test_a_worker_refuses_from_memory_until_the_window_ends(make_ingestion, sql):
    client = limited(make_ingestion, INGEST_RATE_LIMIT_PER_ADDRESS=1).test_client()
    post(client)
    assert [post(client).status_code for _ in range(3)] == [429, 429, 429]
    assert sql("SELECT hits FROM ingest_rate_windows") == [(2,)]  # only the first refusal asked the database


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(make_ingestion, sql):
    client = limited(make_ingestion, INGEST_RATE_LIMIT_PER_ADDRESS=1, TRUSTED_PROXIES="10.0.0.1").test_client()
    for proxy, forwarded in (("10.0.0.1", "203.0.113.5"), ("10.0.0.1", "203.0.113.6"), ("10.0.0.99", "203.0.113.7")):
        response = post(client, {"X-Forwarded-For": forwarded}, address=proxy)
        assert response.status_code == 201
    buckets = {bucket for (bucket,) in sql("SELECT bucket FROM ingest_rate_windows")}
    assert buckets == {"addr:203.0.113.5", "addr:203.0.113.6", "addr:10.0.0.99"}


def test_old_windows_are_deleted(make_ingestion, sql):
    app = limited(make_ingestion)
    post(app.test_client())
    sql("INSERT INTO ingest_rate_windows VALUES ('addr:old', now() - interval '1 day', 5)")
    assert limiter.delete_old_windows(app) == 1
    assert [bucket for (bucket,) in sql("SELECT bucket FROM ingest_rate_windows")] == ["addr:10.0.0.7"]


def test_a_busy_worker_claims_a_share_of_the_limit_at_a_time(make_ingestion, sql, monkeypatch):
    """Limit 1000: a worker claims 10 requests per round trip, so 25 requests make 3 claims (30 counted)."""
    claims = []
    real = repository.claim_requests
    monkeypatch.setattr(repository, "claim_requests", lambda cur, *a: claims.append(a) or real(cur, *a))
    client = limited(make_ingestion).test_client()
    assert {post(client, message=f"m{n}").status_code for n in range(25)} == {201}
    assert len(claims) == 3
    assert sql("SELECT hits FROM ingest_rate_windows") == [(30,)]


def test_shares_never_let_several_workers_pass_the_limit(make_ingestion, sql):
    """Limit 200 (shares of 2) over three workers: never more than 200, at most a share per worker unused."""
    workers = [limited(make_ingestion, INGEST_RATE_LIMIT_PER_ADDRESS=200).test_client() for _ in range(3)]
    codes = [post(workers[number % 3], message=f"m{number}").status_code for number in range(240)]
    assert 200 - 3 * 2 <= codes.count(201) <= 200
    assert codes.count(201) + codes.count(429) == 240
    assert sql("SELECT count(*) FROM alerts") == [(codes.count(201),)]
