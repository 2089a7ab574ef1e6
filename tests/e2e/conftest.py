"""Browser fixtures: the test app on a real port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import backends

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[int]:
    """Serve the test app on a free local port; yield the port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", backends.free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _limits_start_over(app: Any) -> None:
    """Each browser test logs in afresh: earlier tests' log-ins from this address do not count.

    The limits themselves are tested in tests/integration/test_throttling.py; here a fast run
    would otherwise log in more often a minute than the test settings allow one address.
    """
    from saas.extensions import limiter

    with app.app_context():
        limiter.reset()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=backends.CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open isolated browser contexts (own cookies), closed after the test."""
    opened: list[Any] = []

    def open_context(locale: str = "en-US") -> Any:
        context = browser.new_context(locale=locale)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Any:
    """A page in a fresh English-preferring context."""
    return new_context().new_page()


@pytest.fixture
def urls(live_server: int) -> Callable[[str, str], str]:
    """Build an absolute URL on a host ('spreewelle.localhost', 'localhost') of the live server."""
    return lambda host, path="/": f"http://{host}:{live_server}{path}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots (not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
