"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Each browser test runs at a phone width (360 px) and a desktop width (1280 px); full-page
screenshots go to ``screenshots/<test>-<width>.png`` at the repository root (git-ignored).
Every page is watched for Content-Security-Policy violations and JavaScript errors.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
VIEWPORTS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 800},
}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread: Django would otherwise refuse
    the ORM calls the tests make (creating the cast, reading rows back). Set for the browser
    tests only, and put back afterwards."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="session")
def browser(_allow_orm_beside_playwright):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev extras not installed
        pytest.skip("the playwright Python package is not installed (pip install -e .[dev])")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS), ids=[str(v["width"]) for v in VIEWPORTS.values()])
def viewport(request) -> dict:
    return VIEWPORTS[request.param]


@dataclass
class Watcher:
    """Console messages and uncaught errors seen by one page."""

    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_console(self, msg) -> None:
        text = msg.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp.append(text)
        elif msg.type == "error":
            self.errors.append(text)

    def on_page_error(self, exc) -> None:
        self.errors.append(str(exc))


@pytest.fixture
def watcher() -> Watcher:
    return Watcher()


@pytest.fixture
def page(browser, live_server, viewport, watcher, request):
    context = browser.new_context(
        viewport=viewport, locale="vi-VN", base_url=live_server.url, device_scale_factor=1
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", watcher.on_console)
    page.on("pageerror", watcher.on_page_error)
    # The app asks before destructive actions (data-confirm); say yes.
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()
    assert not watcher.csp, f"Content-Security-Policy violations: {watcher.csp}"
    assert not watcher.errors, f"JavaScript errors: {watcher.errors}"


@pytest.fixture
def shot(page, viewport, request):
    """shot("step") saves screenshots/<test>[-step]-<width>.png (full page); ``tab`` for another
    page of the same browser context."""
    SCREENSHOTS.mkdir(exist_ok=True)
    base = re.sub(r"^test_", "", request.node.originalname)

    def take(step: str = "", tab=None) -> Path:
        name = f"{base}-{step}" if step else base
        path = SCREENSHOTS / f"{name}-{viewport['width']}.png"
        (tab or page).screenshot(path=str(path), full_page=True)
        assert_no_horizontal_overflow(tab or page)
        return path

    return take


def assert_no_horizontal_overflow(page) -> None:
    """Nothing may make the page scroll sideways (a phone user would never find it)."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page is {overflow}px wider than the viewport at {page.url}"


@pytest.fixture
def login_as(page, live_server):
    """Log a user in by handing the browser a session made by Django's test client."""

    def login(user) -> None:
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return login


def chooser_input(page, label: str):
    """The text input of the chooser labelled ``label`` (Django adds a colon to labels), once
    the page's deferred scripts have run: typed before HTMX has processed the input, the
    keystrokes send no search (a CI run of 2026-12-04 failed so, the heading already shown)."""
    page.wait_for_load_state("load")
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def choose(page, label: str, query: str, option: str) -> None:
    """Type into a searchable chooser (units/choosers.py) and pick one of its suggestions."""
    field = chooser_input(page, label)
    field.fill(query)
    box = field.locator("xpath=ancestor::*[@data-chooser][1]")
    box.get_by_role("option", name=option, exact=True).click()
