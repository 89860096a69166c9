"""SSRF: every internal destination form is refused with nothing sent; allow-listed receivers still work."""

import ipaddress
import json

import pytest

from servicekit import outbound
from servicekit.config import ConfigError
from tests.access.listener import ipv6_available

PUBLIC = "93.184.215.14"  # a global unicast address (never connected to: the tests' resolvers answer it)
# What localhost has here besides 127.0.0.1: ::1 from Debian's /etc/hosts, nothing in some sandboxes. A name
# passes only when each of its addresses is allowed, so an allow-list by address names them all.
LOCALHOST_ELSE = sorted(set(outbound.system_resolve("localhost", 80)) - {"127.0.0.1"})
LOCALHOST_ALLOWED = [",".join([net, *LOCALHOST_ELSE]) for net in ("127.0.0.1", "127.0.0.0/8")] + ["localhost"]


def notify(client, incident_id, url, channel="webhook"):
    return client.post(
        "/api/v1/notify", json={"incident_id": incident_id, "channel": channel, "recipient": url, "message": "db down"}
    )


# --- pure rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 (an address under test, not a bind)
        ("::", "unspecified"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.0.1", "private"),
        ("fc00::1", "private"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback address (inside ::ffff:7f00:1)"),
        ("::ffff:169.254.169.254", "cloud metadata"),
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("240.0.0.1", "private"),  # reserved; Python files 240/4 under private
        (PUBLIC, None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_which_addresses_are_refused(address, words):
    problem = outbound.address_problem(ipaddress.ip_address(address))
    assert (problem is None) if words is None else (words in problem), problem


@pytest.mark.parametrize(
    ("value", "names", "networks"),
    [
        ("", set(), []),
        ("hooks.lan, 10.0.0.0/8 ,::1", {"hooks.lan"}, ["10.0.0.0/8", "::1/128"]),
        ("Receiver.LAN.,127.0.0.1", {"receiver.lan"}, ["127.0.0.1/32"]),
    ],
)
def test_the_allow_list_takes_names_addresses_and_cidrs(value, names, networks):
    policy = outbound.Policy.from_setting(value)
    assert set(policy.names) == names
    assert [str(network) for network in policy.networks] == networks


@pytest.mark.parametrize("value", ["http://hooks.lan", "10.0.0.0/33", "0x7f000001", "a b"])
def test_a_malformed_allow_list_entry_stops_start_up_naming_the_setting(value):
    with pytest.raises(ConfigError, match="WEBHOOK_ALLOWED_HOSTS"):
        outbound.Policy.from_setting(value)


# --- refused at request time, nothing sent ----------------------------------------------------

FORMS = [
    ("http://127.0.0.1:{port}/hook", "loopback"),
    ("http://0x7f000001:{port}/hook", "canonical"),
    ("http://2130706433:{port}/hook", "canonical"),
    ("http://017700000001:{port}/hook", "canonical"),
    ("http://0177.0.0.1:{port}/hook", "canonical"),
    ("http://127.1:{port}/hook", "canonical"),
    ("http://[::1]:{port}/hook", "loopback"),
    ("http://[::ffff:127.0.0.1]:{port}/hook", "loopback"),
    ("http://[::ffff:7f00:1]:{port}/hook", "loopback"),
    ("http://localhost:{port}/hook", "which is a loopback address"),
    ("http://LOCALHOST.:{port}/hook", "which is a loopback address"),
    ("http://0.0.0.0:{port}/hook", "unspecified"),
    ("http://[::]:{port}/hook", "unspecified"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata"),
    ("http://10.0.0.1/hook", "private"),
    ("http://192.168.1.1/hook", "private"),
    ("http://172.31.255.255/hook", "private"),
    ("http://100.100.100.200/hook", "carrier-grade NAT"),
    ("http://224.0.0.251/hook", "multicast"),
    ("http://[fe80::1]/hook", "link-local"),
    ("http://user:pw@example.com/hook", "credentials"),  # pragma: allowlist secret
    ("ftp://127.0.0.1:{port}/hook", "http"),
    ("file:///etc/passwd", "http"),
]


@pytest.mark.parametrize("channel", ["webhook", "slack"])
@pytest.mark.parametrize(("template", "words"), FORMS)
def test_each_internal_form_is_refused_when_asked_for_and_nothing_arrives(
    notifier, listener, incident_id, sql, channel, template, words
):
    local = listener()
    url = template.format(port=local.port)

    response = notify(notifier().test_client(), incident_id, url, channel)

    assert response.status_code == 422, response.json
    [reason] = response.json["errors"]["json"]["recipient"]
    assert words in reason
    assert "recipient" in response.json["message"]
    assert sql("SELECT count(*) FROM notifications")[0][0] == 0
    assert local.requests == []


def test_a_name_that_resolves_to_an_internal_address_at_send_time_is_refused(notifier, listener, incident_id):
    """DNS rebinding between the request and a retry: the check at send time refuses it, nothing arrives."""
    local = listener()
    app = notifier()
    answers = iter([[PUBLIC], ["127.0.0.1"]])  # public when asked for, loopback when sent
    app.extensions["notification_service.outbound"].resolve = lambda _host, _port: next(answers)

    response = notify(app.test_client(), incident_id, f"http://hooks.example:{local.port}/hook")

    assert response.status_code == 202
    assert response.json["status"] == "failed"  # permanent: the allow-list will not change on retry
    assert response.json["last_error"].startswith("destination refused: hooks.example resolves to 127.0.0.1")
    assert local.requests == []


def test_a_name_with_one_internal_address_among_public_ones_is_refused(notifier, incident_id):
    app = notifier()
    app.extensions["notification_service.outbound"].resolve = lambda _host, _port: [PUBLIC, "10.0.0.7"]

    response = notify(app.test_client(), incident_id, "https://hooks.example/x")

    assert response.status_code == 422
    assert "resolves to 10.0.0.7" in response.json["errors"]["json"]["recipient"][0]


# --- redirects ------------------------------------------------------------------------------


def test_a_redirect_to_an_internal_address_is_refused_and_nothing_arrives(notifier, listener, incident_id):
    inner = listener("127.0.0.2")  # loopback, but not on the allow-list
    outer = listener(answer=lambda _path: (307, {"Location": f"http://127.0.0.2:{inner.port}/admin"}, b""))

    response = notify(notifier("127.0.0.1").test_client(), incident_id, f"http://127.0.0.1:{outer.port}/hook")

    assert response.json["status"] == "failed"
    assert "destination refused: 127.0.0.2 is a loopback address" in response.json["last_error"]
    assert len(outer.requests) == 1 and inner.requests == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_an_allowed_redirect_is_followed_with_the_same_post(notifier, listener, incident_id, status):
    final = listener()
    first = listener(answer=lambda _path: (status, {"Location": f"http://127.0.0.1:{final.port}/moved"}, b""))

    response = notify(notifier("127.0.0.1/32").test_client(), incident_id, f"http://127.0.0.1:{first.port}/hook")

    assert response.status_code == 201, response.json
    [arrived] = final.requests
    assert arrived["method"] == "POST" and arrived["path"] == "/moved"
    assert json.loads(arrived["body"])["notification_id"] == response.json["id"]


def test_a_redirect_loop_stops(notifier, listener, incident_id):
    loop = listener(answer=lambda path: (302, {"Location": path}, b""))

    response = notify(notifier("127.0.0.1").test_client(), incident_id, f"http://127.0.0.1:{loop.port}/again")

    assert response.json["status"] == "failed"
    assert "more than 3 redirects" in response.json["last_error"]
    assert len(loop.requests) == 4


# --- the answer's body stays with the receiver ------------------------------------------------


def test_the_receivers_body_never_reaches_the_caller(notifier, listener, incident_id):
    secret = b'{"code": 422, "message": "internal detail: incidents table"}'
    internal = listener(answer=lambda _path: (422, {"Content-Type": "application/json"}, secret))
    client = notifier("127.0.0.1").test_client()

    response = notify(client, incident_id, f"http://127.0.0.1:{internal.port}/api/v1/incidents")

    assert response.json["last_error"] == "receiver answered 422 Unprocessable Entity"
    listed = client.get("/api/v1/notifications").get_data(as_text=True)
    assert "internal detail" not in listed


# --- allow-listed receivers and pinned connections ------------------------------------------


@pytest.mark.parametrize("allowed", LOCALHOST_ALLOWED)
def test_an_allow_listed_receiver_gets_the_webhook(notifier, listener, incident_id, allowed):
    local = listener()

    response = notify(notifier(allowed).test_client(), incident_id, f"http://localhost:{local.port}/hook")

    assert response.status_code == 201, response.json
    [arrived] = local.requests
    assert arrived["headers"]["Host"] == f"localhost:{local.port}"


@pytest.mark.skipif(not ipv6_available(), reason="this machine has no IPv6 loopback")
def test_an_allow_listed_ipv6_receiver_gets_the_webhook(notifier, listener, incident_id):
    local = listener("::1")

    response = notify(notifier("::1").test_client(), incident_id, f"http://[::1]:{local.port}/hook")

    assert response.status_code == 201, response.json
    assert len(local.requests) == 1


def test_the_connection_goes_to_the_address_that_was_checked(notifier, listener, incident_id):
    """`hooks.test` does not resolve on this machine: only a pinned connection can reach the listener."""
    local = listener()
    app = notifier("127.0.0.1")
    lookups = []
    app.extensions["notification_service.outbound"].resolve = lambda host, port: lookups.append(host) or ["127.0.0.1"]

    response = notify(app.test_client(), incident_id, f"http://hooks.test:{local.port}/hook")

    assert response.status_code == 201, response.json
    assert lookups == ["hooks.test", "hooks.test"]  # once when asked for, once for the one attempt
    assert local.requests[0]["headers"]["Host"] == f"hooks.test:{local.port}"


def test_https_to_a_pinned_address_verifies_the_certificate_of_the_name(listener, hooks_certificate):
    local = listener(tls=hooks_certificate)
    policy = outbound.Policy.from_setting("127.0.0.1")
    client = outbound.Client(policy, resolve=lambda _h, _p: ["127.0.0.1"], ca_certs=hooks_certificate[1])

    answer = client.post(f"https://hooks.test:{local.port}/hook", b"{}", {"Content-Type": "application/json"}, 2)

    assert answer.status == 200
    assert local.requests[0]["headers"]["Host"] == f"hooks.test:{local.port}"
    untrusted = outbound.Client(policy, resolve=lambda _h, _p: ["127.0.0.1"])
    with pytest.raises(outbound.Unreachable, match="CERTIFICATE_VERIFY_FAILED"):
        untrusted.post(f"https://hooks.test:{local.port}/hook", b"{}", {}, 2)
    assert len(local.requests) == 1
