"""Requests to URLs that users give (webhooks, chat): refused when they point inside the platform's network.

Every hop is checked the same way: the scheme is http or https; the host is a
name or a canonical IP literal (no `0x7f000001`, `2130706433`, `017700000001`,
`127.1`); the name is resolved once and every address it resolves to must be a
public unicast one, unless `WEBHOOK_ALLOWED_HOSTS` lists the name or a network
holding the address. The connection then goes to the address that was checked
(the Host header and TLS name stay the URL's), so a second DNS answer cannot
redirect it (DNS rebinding). Redirects are followed here, one checked hop at a
time. The receiver's body is read (so the connection can be reused) and dropped:
callers get the status and its reason phrase only.
"""

import contextlib
import dataclasses
import ipaddress
import re
import socket
import urllib.parse

import urllib3

from servicekit.config import ConfigError

SETTING = "WEBHOOK_ALLOWED_HOSTS"
MAX_REDIRECTS = 3
_REDIRECTS = {301, 302, 303, 307, 308}
_BODY_LIMIT = 64 * 1024  # read and dropped; a longer body closes the connection instead
# Cloud metadata endpoints, named so that the reason says what they are (both are refused anyway).
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# A host made only of numbers, dots and 0x prefixes is some IPv4 form that inet_aton() accepts.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*$", re.IGNORECASE)


class Refused(ValueError):
    """The destination may not be called; the message says why (safe to show to the caller)."""


class Unreachable(OSError):
    """The destination could not be resolved or reached (worth a retry)."""


class TimedOut(Unreachable):
    """The destination did not answer in time."""


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    url: str  # the URL that answered (after redirects)


@dataclasses.dataclass(frozen=True)
class Policy:
    """The allow-list: exact host names and networks that may be called although they are not public."""

    names: frozenset = frozenset()
    networks: tuple = ()

    @classmethod
    def from_setting(cls, value):
        """Parse a comma-separated list of names, addresses and CIDRs (`receiver.lan, 10.0.0.0/8, ::1`)."""
        names, networks = set(), []
        for entry in (part.strip() for part in (value or "").split(",")):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                if not re.fullmatch(r"[A-Za-z0-9_.-]+", entry) or _NUMERIC_HOST.match(entry):
                    raise ConfigError(f"setting {SETTING}: {entry!r} is neither a host name nor a CIDR") from None
                names.add(entry.lower().rstrip("."))
        return cls(frozenset(names), tuple(networks))

    def allows(self, address):
        return any(address in network for network in self.networks if network.version == address.version)


def system_resolve(host, port):
    """Every address `host` resolves to (one lookup: the caller connects to what it returns)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unreachable(f"cannot resolve {host}: {exc}") from exc
    return [info[4][0] for info in infos]


def address_problem(address):
    """Why `address` is not a public unicast address, or None when it is."""
    if address.version == 6:  # an IPv4 address wrapped in IPv6 is judged as the IPv4 address
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if inner is not None:
            problem = address_problem(inner)
            return f"{problem} (inside {address})" if problem else None
    if address in _METADATA:
        return "a cloud metadata address"
    for kind in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(address, f"is_{kind}"):
            return f"a {kind.replace('_', '-')} address"
    if address.version == 4 and address in _CGNAT:
        return "a carrier-grade NAT address"
    if not address.is_global:
        return "not a public address"
    return None


@dataclasses.dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as in the URL, lower case, without brackets
    port: int
    path: str  # path and query
    addresses: tuple  # checked, in the resolver's order

    @property
    def host_header(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def parse(url):
    """(scheme, host, port, path) of an absolute http(s) URL, or Refused naming what is wrong."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(f"not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(f"only http and https URLs are allowed, not {scheme or 'a relative URL'}")
    if parts.username is not None or parts.password is not None:
        raise Refused("credentials in the URL are not allowed")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Refused("the URL has no host")
    port = port or (443 if scheme == "https" else 80)
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return scheme, host, port, path


def check(url, policy, resolve=system_resolve):
    """Resolve and check one URL; returns the Target to connect to, or raises Refused / Unreachable."""
    scheme, host, port, path = parse(url)
    return Target(scheme, host, port, path, check_host(host, port, policy, resolve))


def check_host(host, port, policy, resolve=system_resolve):
    """Resolve and check one host; returns its checked addresses (strings), or raises Refused / Unreachable."""
    host = host.lower().rstrip(".").strip("[]")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
        if _NUMERIC_HOST.match(host):
            raise Refused(f"{host} is not a canonical IP address (write IPv4 as four decimal numbers)") from None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host, port)]
        except ValueError as exc:
            raise Unreachable(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise Unreachable(f"cannot resolve {host}: no addresses")
    if host not in policy.names:
        for address in addresses:
            problem = None if policy.allows(address) else address_problem(address)
            if problem:
                named = "" if literal is not None else f" resolves to {address}, which is"
                raise Refused(f"{host}{named or ' is'} {problem}; set {SETTING} to allow it")
    return tuple(str(a) for a in addresses)


def problem(url, policy, resolve=system_resolve):
    """For validating a request: why `url` is refused, or None (a name that does not resolve now may later)."""
    try:
        check(url, policy, resolve)
    except Refused as exc:
        return str(exc)
    except Unreachable:
        return None
    return None


class Client:
    """POSTs to checked destinations over pinned connections; one per app (pools are shared by threads)."""

    def __init__(self, policy, resolve=system_resolve, max_redirects=MAX_REDIRECTS, ca_certs=None):
        self.policy = policy
        self.resolve = resolve
        self.max_redirects = max_redirects
        self.pools = urllib3.PoolManager(num_pools=32, maxsize=8, ca_certs=ca_certs)

    def problem(self, url):
        """Why `url` would be refused now, or None (see problem())."""
        return problem(url, self.policy, self.resolve)

    def post(self, url, body, headers, timeout):
        """POST `body` to `url`, following up to `max_redirects` checked redirects; returns the final Answer.

        A redirect keeps the method and body (as curl's --post301/302/303 do): a webhook that moved must
        still receive the notification, never an empty GET.
        """
        for _hop in range(self.max_redirects + 1):
            target = check(url, self.policy, self.resolve)
            status, reason, location = self._send(target, body, headers, timeout)
            if status not in _REDIRECTS or not location:
                return Answer(status, reason, url)
            url = urllib.parse.urljoin(url, location)
        raise Refused(f"more than {self.max_redirects} redirects")

    def _send(self, target, body, headers, timeout):
        last_error = None
        for address in target.addresses:
            pool_kwargs = {}
            if target.scheme == "https":
                pool_kwargs = {"server_hostname": target.host, "assert_hostname": target.host}
            pool = self.pools.connection_from_host(address, target.port, target.scheme, pool_kwargs=pool_kwargs)
            try:
                response = pool.urlopen(
                    "POST",
                    target.path,
                    body=body,
                    headers={**headers, "Host": target.host_header},
                    retries=False,
                    redirect=False,
                    timeout=urllib3.Timeout(connect=timeout, read=timeout),
                    preload_content=False,
                    assert_same_host=False,
                )
            except urllib3.exceptions.NewConnectionError as exc:  # refused, unreachable: try the next address
                last_error = exc
                continue
            except urllib3.exceptions.TimeoutError as exc:
                raise TimedOut(f"{target.host} did not answer within {timeout}s ({type(exc).__name__})") from exc
            except urllib3.exceptions.HTTPError as exc:
                raise Unreachable(_describe(target, exc)) from exc
            with contextlib.suppress(urllib3.exceptions.HTTPError):  # the status line is what counts
                _discard_body(response)
            return response.status, response.reason or "", response.headers.get("Location")
        raise Unreachable(_describe(target, last_error))


def _discard_body(response):
    if len(response.read(_BODY_LIMIT + 1, decode_content=False)) > _BODY_LIMIT:
        response.close()  # not worth reading on: drop the connection
    else:
        response.release_conn()


def _describe(target, exc):
    """The cause in a few words ("[Errno 111] Connection refused"), naming the host, not the response."""
    cause = getattr(exc, "reason", None) or exc
    text = str(cause).split(": ", 1)[-1].strip() or type(exc).__name__
    return f"{target.host}:{target.port}: {text[:200]}"
