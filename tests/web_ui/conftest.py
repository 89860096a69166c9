"""Fixtures of the web UI tests: the gateway of the tests' native stack, and Debian's chromium driven by Playwright.

Browsers cannot be downloaded here, so Playwright launches /usr/bin/chromium (never `playwright install`).
Every page records its console errors and uncaught exceptions; a test fails on any it did not expect.
Screenshots of the pages go to reports/screenshots/ as test artifacts.
"""

import re
import uuid

import pytest
import requests
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "reports" / "screenshots"
DIST = ROOT / "web-ui" / "dist"

expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def gateway(stack):
    """Base URL of the nginx gateway serving the built app (`make ui`) and routing /api."""
    if not (DIST / "index.html").exists():
        pytest.fail(f"{DIST} has no built app: run `make ui` first")
    return stack.url("nginx")


@pytest.fixture(scope="session")
def api(gateway):
    """Call the platform's API through the gateway, as the browser does."""
    session = requests.Session()

    def call(method, path, **kwargs):
        response = session.request(method, f"{gateway}{path}", timeout=15, **kwargs)
        assert response.status_code < 400, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    yield call
    session.close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        playwright.selectors.set_test_id_attribute("data-test")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class UiPage:
    """A browser tab on the gateway that remembers what went wrong in it."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.problems = []
        self.allowed = []
        page.on("console", lambda message: message.type == "error" and self.problems.append(message.text))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))

    def open(self, path):
        self.page.goto(f"{self.base_url}{path}")
        return self.page

    def allow_console_error(self, pattern):
        """An error the test provokes on purpose (e.g. the browser logging a 404 it asked for)."""
        self.allowed.append(re.compile(pattern))

    def unexpected_problems(self):
        return [p for p in self.problems if not any(a.search(p) for a in self.allowed)]

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def ui(browser, gateway):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = UiPage(context.new_page(), gateway)
    yield tab
    problems = tab.unexpected_problems()
    context.close()
    assert not problems, f"console errors on the page: {problems}"


@pytest.fixture
def unique():
    """A name no other test uses (the stack's database lives for the whole session)."""
    return lambda prefix: f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def auth_gateway(make_database):
    """The gateway of a second native stack with auth on (the four services and nginx), as `make up` runs it:
    its own ports, state folder and database. Yields (base URL, the admin's API token)."""
    from nativestack import Stack, components
    from tests.auth.conftest import ADMIN_API_KEY, AUTH_ON
    from tests.conftest import LOCAL_RECEIVERS, STACK_DIR, STACK_PORT_OFFSET

    if not (DIST / "index.html").exists():
        pytest.fail(f"{DIST} has no built app: run `make ui` first")
    names = ("alert_ingestion", "incident_management", "oncall_service", "notification_service", "nginx")
    native = Stack(
        STACK_DIR.with_name(STACK_DIR.name + "-auth-ui"),
        port_offset=STACK_PORT_OFFSET + 500,
        database_url=make_database("auth_ui_stack"),
        components=[components.by_name()[name] for name in names],
        settings={
            **{key: str(value).lower() if isinstance(value, bool) else value for key, value in AUTH_ON.items()},
            "AUTH_CACHE_SECONDS": "1",
            "WEBHOOK_ALLOWED_HOSTS": LOCAL_RECEIVERS,
            # The tests load page after page: a closed page's live stream frees its slot (LIVE_MAX_STREAMS per
            # process) at the next heartbeat, so it comes soon.
            "LIVE_HEARTBEAT_SECONDS": "1",
        },
    )
    native.up(timeout=90)
    yield native.url("nginx"), ADMIN_API_KEY
    native.down()
