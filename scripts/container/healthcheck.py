"""Container HEALTHCHECK for the Python services: exit 0 when GET /health answers 200, else 1.

The slim base image has no curl or wget; Python is there. The port comes from
gunicorn's BIND (HEALTHCHECK_URL overrides the whole URL).
"""

import http.client
import os
import sys
import urllib.parse


def health_url(environ):
    if environ.get("HEALTHCHECK_URL"):
        return environ["HEALTHCHECK_URL"]
    port = environ.get("BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    return f"http://127.0.0.1:{port}/health"


def check(url, timeout=3.0):
    """Return (healthy, description) for one GET of `url`."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        connection.request("GET", parts.path or "/")
        response = connection.getresponse()
        body = response.read(300).decode(errors="replace").strip()
    except OSError as exc:
        return False, f"{url}: {exc}"
    finally:
        connection.close()
    return response.status == 200, f"{url}: {response.status} {body}"


def main():
    healthy, description = check(health_url(os.environ))
    print(description)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
