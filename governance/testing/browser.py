"""Browser tests: Playwright drives Debian's Chromium (never a downloaded one) against the live
test server. tests/conftest.py makes `browser` and `page` fixtures of every test module; a test
signs in with `sign_in`. A module of many short tests shares one Chromium (`module_browser`) and
opens a fresh context (cookies, viewport) per test.

At a phone's width (PHONE_VIEWPORT) or a laptop's (LAPTOP_VIEWPORT), `assert_fits` says the page
does not scroll sideways, `assert_form_usable` that every field and button of a form is on screen,
and `assert_errors_readable` that a form's errors are shown, on screen, legible.

Without Chromium or the playwright package a browser test skips, except with CI=true, where it
fails (tests/conftest.py require_service).
"""

from __future__ import annotations

import contextlib
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
# The widths the portal is tried at (issue 16): a phone (an iPhone 12 to 15) and a small laptop.
PHONE_VIEWPORT = {"width": 390, "height": 844}
LAPTOP_VIEWPORT = {"width": 1366, "height": 900}
# Chromium may round a box a pixel past the edge: no more is allowed.
TOLERANCE_PX = 1
# Below this an error message is not readable on a phone (Bootstrap's .small is 14px at 16px).
MIN_ERROR_FONT_PX = 12

__all__ = [
    "ARTIFACTS",
    "LAPTOP_VIEWPORT",
    "PHONE_VIEWPORT",
    "assert_errors_readable",
    "assert_fits",
    "assert_form_usable",
    "browser",
    "expect",
    "fill_fields",
    "module_browser",
    "opened_page",
    "page",
    "sign_in",
    "submit",
    "try_form",
]


@contextlib.contextmanager
def _chromium():
    """A headless Debian Chromium for the duration of the block (skipped, or failed in CI, without
    one)."""
    executable = shutil.which("chromium")
    if executable is None:
        require_service("Debian's chromium is not installed (apt-get install chromium)")
    if sync_playwright is None:
        require_service("the playwright Python package is not installed")
    # Playwright's sync API runs an event loop in this thread; Django then refuses database
    # access from it as "async-unsafe", although the test only touches the database between
    # browser steps. Allowed while the browser runs.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            # Database connections opened while the event loop ran belong to its context, not
            # to the test's thread: closed here, or the test database cannot be dropped after.
            connections.close_all()
            browser.close()


@pytest.fixture
def browser():
    with _chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def module_browser():
    """One Chromium for a module's tests (starting one costs about half a second): each test
    opens its own context from it, so no cookie or page outlives a test."""
    with _chromium() as browser:
        yield browser


@contextlib.contextmanager
def opened_page(browser, viewport: dict = DESKTOP_VIEWPORT):
    """A page in a context of its own (its cookies, its viewport), closed after the block."""
    # A Chinese browser: the portal answers in Chinese because the visitor asks for it.
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser):
    with opened_page(browser) as page:
        yield page


def sign_in(page, live_server, username: str) -> None:
    """Sign `username` in through the login form (the test world's password) and wait for home."""
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + reverse("home"))


def _viewport_width(page) -> int:
    return page.evaluate("window.innerWidth")


def assert_fits(page) -> None:
    """The page does not scroll sideways at its viewport's width: wide tables scroll inside their
    own box (Bootstrap's .table-responsive), never the page."""
    width = _viewport_width(page)
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width + TOLERANCE_PX, f"{page.url} is {scroll_width} px wide in a {width} px viewport"


def _off_screen(page, selector: str) -> list[str]:
    """The visible elements matching `selector` that reach past the viewport's left or right edge."""
    return page.evaluate(
        """([selector, tolerance]) => Array.from(document.querySelectorAll(selector))
            .filter(element => element.offsetParent !== null || getComputedStyle(element).position === "fixed")
            .filter(element => {
                const box = element.getBoundingClientRect();
                return box.width > 0 && (box.left < -tolerance || box.right > window.innerWidth + tolerance);
            })
            .map(element => `${element.tagName.toLowerCase()}#${element.id || element.name || ""}`)""",
        [selector, TOLERANCE_PX],
    )


# The form a page is about: the post forms of the page's main content (the top bar's sign-out is
# a post form too, outside <main>).
POST_FORM = "main form[method=post]"


def fill_fields(page, values: dict, form: str = POST_FORM) -> None:
    """Type each value in the form's field of that name (Django's id_<name>, or a selector of its
    own starting with "#"): a select is chosen by its value, a file input given (file name,
    content type, bytes)."""
    for name, value in values.items():
        field = page.locator(f"{form} {name if name.startswith('#') else '#id_' + name}")
        kind = field.evaluate("element => element.tagName === 'SELECT' ? 'select' : element.type")
        if kind == "select":
            field.select_option(value)
        elif kind == "file":
            file_name, content_type, content = value
            field.set_input_files({"name": file_name, "mimeType": content_type, "buffer": content})
        else:
            field.fill(value)


def submit(page, form: str = POST_FORM) -> None:
    """Press the form's (first) submit button and wait for the page that answers."""
    with page.expect_navigation():
        page.locator(f"{form} [type=submit]").first.click()


def try_form(page, *, wrong: dict, error: str, right: dict, done: str, form: str = POST_FORM) -> None:
    """The form on the page, as a user meets it: usable; submitted with `wrong` values, it says
    `error` legibly; corrected with `right` ones, the page it leads to shows `done` and fits."""
    assert_form_usable(page, form)
    fill_fields(page, wrong, form)
    submit(page, form)
    errors = assert_errors_readable(page, form)
    assert any(error in text for text in errors), f"{error!r} not among the errors {errors}"
    fill_fields(page, right, form)
    submit(page, form)
    expect(page.get_by_role("alert").filter(has_text=done)).to_be_visible()
    assert_fits(page)


def assert_form_usable(page, form: str = POST_FORM) -> None:
    """Every field and button of the form (the page's post forms by default) is displayed and lies
    within the viewport's width, and the page itself fits."""
    assert_fits(page)
    fields = f"{form} :is(input:not([type=hidden]), select, textarea, button)"
    assert page.locator(fields).count() > 0, f"no field in {form} on {page.url}"
    assert _off_screen(page, fields) == [], f"fields cut off at the edge of {page.url}"


def assert_errors_readable(page, form: str = POST_FORM) -> list[str]:
    """The form shows at least one error, each on screen (within the width, not white on white,
    at a legible size); the errors' texts are returned for the test to check what they say."""
    assert_fits(page)
    errors = page.locator(f"{form} :is(.invalid-feedback, .alert-danger)")
    expect(errors.first).to_be_visible()
    assert _off_screen(page, f"{form} :is(.invalid-feedback, .alert-danger)") == []
    texts = []
    for index in range(errors.count()):
        error = errors.nth(index)
        if not error.is_visible():
            continue
        style = error.evaluate(
            """element => {
                const style = getComputedStyle(element);
                return {colour: style.color, size: parseFloat(style.fontSize)};
            }"""
        )
        assert style["size"] >= MIN_ERROR_FONT_PX, f"an error in {style['size']} px type"
        assert style["colour"] not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), "an error without colour"
        texts.append(error.inner_text().strip())
    assert all(texts), "an empty error box"
    return texts
