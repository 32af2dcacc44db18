"""Browser tests: Playwright drives Debian's Chromium (never a downloaded one) against the live
test server. tests/conftest.py makes `browser` and `page` fixtures of every test module; a test
signs in with `sign_in`.

Without Chromium or the playwright package a browser test skips, except with CI=true, where it
fails (tests/conftest.py require_service).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from governance.testing.factories import TEST_PASSWORD
from governance.testing.services import require_service

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the fixture skips (or fails in CI) with a reason
    expect = sync_playwright = None

# Screenshots and traces a failing browser test leaves behind (git-ignored).
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
# Headless, and nothing that reaches for the network: this machine's network is closed, and
# Chromium's background connections would be refused many at a time.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}

__all__ = ["ARTIFACTS", "browser", "expect", "page", "sign_in"]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django then refuses database
    # access from it as "async-unsafe", although the test only touches the database between
    # browser steps. Allowed for this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    executable = shutil.which("chromium")
    if executable is None:
        require_service("Debian's chromium is not installed (apt-get install chromium)")
    if sync_playwright is None:
        require_service("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            # Database connections opened while the event loop ran belong to its context, not
            # to the test's thread: closed here, or the test database cannot be dropped after.
            connections.close_all()
            browser.close()


@pytest.fixture
def page(browser):
    # A Chinese browser: the portal answers in Chinese because the visitor asks for it.
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP_VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, live_server, username: str) -> None:
    """Sign `username` in through the login form (the test world's password) and wait for home."""
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + reverse("home"))
