"""Local ports for tests: a free one to start a server on, or one where nothing listens."""

import socket


def free_port():
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port_url():
    """A URL where nothing listens: the neighbour service is down."""
    return f"http://127.0.0.1:{free_port()}"
