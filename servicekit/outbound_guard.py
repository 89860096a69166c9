"""The SSRF rules of servicekit.outbound for libraries that make their own requests (Apprise's plugins).

Such a library calls `requests.post` itself, so it cannot be handed outbound's
client. The check sits where every urllib3 connection is opened instead: inside
`with guarded(policy):`, each connection's host is resolved once, every address
is checked as outbound.check_host does, and the socket goes to a checked address
(TLS still verifies the URL's name), so a second DNS answer cannot move it
(DNS rebinding). Redirects open new connections and are checked the same way.
Outside the block, in other threads, and for the services' own calls to each
other, connections are opened as usual: the guard lives in a context variable.

A refused connection raises `RefusedConnection` (an OSError, which the library
reports as a connection error); the guard keeps the reason for the caller, and
the HTTP status of each answer, so that the caller can tell a refusal (4xx) from
an outage even when the library reports neither.
"""

import contextlib
import contextvars

import urllib3.connection
import urllib3.util.connection

from servicekit import outbound

_active = contextvars.ContextVar("servicekit_outbound_guard", default=None)
_unguarded_create_connection = urllib3.util.connection.create_connection
_unguarded_getresponse = urllib3.connection.HTTPConnection.getresponse


class RefusedConnection(OSError):
    """The guard refused to open a connection to a destination that is not allowed."""


def system_targets(host, port):
    """(address, port) pairs that `host` resolves to, for outbound.check_host to judge."""
    return [(address, port) for address in outbound.system_resolve(host, port)]


class Guard:
    """One guarded block: its policy, how it resolves names, and the refusals it met."""

    def __init__(self, policy, targets=system_targets):
        self.policy = policy
        self.targets = targets
        self.refused = []  # reasons, in order
        self.statuses = []  # HTTP status of each answer, in order (redirects included)

    def addresses(self, host, port):
        """The (address, port) pairs to try for `host`, checked; raises RefusedConnection."""
        pairs = []
        try:
            resolved = self.targets(host, port)
            by_address = dict(resolved)
            checked = outbound.check_host(host, port, self.policy, lambda _host, _port: list(by_address))
        except outbound.Refused as exc:
            self.refused.append(str(exc))
            raise RefusedConnection(f"destination refused: {exc}") from None
        except outbound.Unreachable as exc:
            raise OSError(str(exc)) from None
        for address in checked:
            pairs.append((address, by_address.get(address, port)))
        return pairs


def _create_connection(address, *args, **kwargs):
    guard = _active.get()
    if guard is None:
        return _unguarded_create_connection(address, *args, **kwargs)
    host, port = address
    last_error = None
    for target in guard.addresses(host, port):
        try:
            return _unguarded_create_connection(target, *args, **kwargs)
        except OSError as exc:  # refused or unreachable: try the next checked address
            last_error = exc
    raise last_error


def _getresponse(connection, *args, **kwargs):
    response = _unguarded_getresponse(connection, *args, **kwargs)
    guard = _active.get()
    if guard is not None:
        guard.statuses.append(response.status)
    return response


# urllib3's connections call the module's function each time they connect: replacing it once covers them all.
urllib3.util.connection.create_connection = _create_connection
urllib3.connection.HTTPConnection.getresponse = _getresponse


@contextlib.contextmanager
def guarded(policy, targets=system_targets):
    """Check every connection opened in this block (this thread) against `policy`; yields the Guard."""
    guard = Guard(policy, targets)
    token = _active.set(guard)
    try:
        yield guard
    finally:
        _active.reset(token)
