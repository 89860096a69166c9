"""The client address of a request: the peer, or what a trusted proxy (the gateway) says in X-Forwarded-For.

TRUSTED_PROXIES lists addresses, CIDRs or host names (e.g. `web-ui`, the gateway's compose name; names are
resolved again every RESOLVE_SECONDS, so a re-created container is followed). Only when the peer is one of
them is X-Forwarded-For read, from the right: the first address that is not a trusted proxy is the client.
Anyone else's X-Forwarded-For is ignored, so a client cannot choose its own address.

One place for every service: ingestion's rate limits per address, the audit trail's client address and
sign-ins (`current()`).
"""

import ipaddress
import socket
import threading
import time

from flask import current_app, g, request

CLIENT_ADDRESS_SETTINGS = {"TRUSTED_PROXIES": ""}
RESOLVE_SECONDS = 30.0
_EXTENSION = "servicekit.client_address"


def _network(entry):
    try:
        return ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return None


class TrustedProxies:
    def __init__(self, setting, resolve=socket.getaddrinfo):
        entries = [entry.strip() for entry in (setting or "").split(",") if entry.strip()]
        self.networks = [net for net in map(_network, entries) if net is not None]
        self.names = [entry for entry in entries if _network(entry) is None]
        self._resolve = resolve
        self._resolved = ([], 0.0)  # (addresses of the names, when)
        self._lock = threading.Lock()

    def _name_addresses(self):
        addresses, when = self._resolved
        if not self.names or time.monotonic() - when < RESOLVE_SECONDS:
            return addresses
        found = []
        for name in self.names:
            try:
                found += [ipaddress.ip_address(info[4][0]) for info in self._resolve(name, None)]
            except (OSError, ValueError):  # not resolvable now (not started yet): trusted once it is
                continue
        with self._lock:
            self._resolved = (found, time.monotonic())
        return found

    def trusts(self, address):
        return any(address in net for net in self.networks) or address in self._name_addresses()


def _parse(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(remote_addr, forwarded_for, trusted):
    """The client's address as text: `remote_addr` unless it is a trusted proxy that forwarded the request."""
    peer = _parse(remote_addr or "")
    if peer is None:
        return remote_addr or "unknown"
    if not forwarded_for or not trusted.trusts(peer):
        return str(peer)
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        address = _parse(hop)
        if address is None:  # garbage before this point was written by the client: stop at the last good hop
            break
        client = address
        if not trusted.trusts(address):
            break
    return str(client)


def init_app(app):
    app.extensions[_EXTENSION] = TrustedProxies(app.config["TRUSTED_PROXIES"])


def current():
    """The address of the client of the request being served (worked out once per request: each pooled
    connection the request takes is told it for the audit trail)."""
    found = g.get("client_address")
    if found is None:
        proxies = current_app.extensions[_EXTENSION]
        found = g.client_address = client_address(request.remote_addr, request.headers.get("X-Forwarded-For"), proxies)
    return found
