"""The Content-Security-Policy in a real browser (Debian's Chromium): the pages whose behaviour is
scripts (home, a report with its ECharts chart, the assessment dashboard with its charts and its
scheme picker that submits itself, a printable scorecard, the API's Swagger UI) work under the
policy the portal sends, and Chromium reports no violation of it: neither a
`securitypolicyviolation` event in the page nor a console message about the policy."""

import datetime

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.browser import opened_page, sign_in
from supervision.choices import Grade
from supervision.testing.factories import scheme, stored_results
from villages.models import PositionKind
from villages.testing.factories import PositionFactory, division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page sees, recorded before any of its own scripts runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def portal(transactional_db):
    build_world()
    PositionFactory(
        division=division(w.VILLAGE),
        kind=PositionKind.RESERVE_CADRE,
        started_on=datetime.date(2020, 1, 1),
        term_ends_on=None,
    )
    earlier = scheme(w.TOWN, period="2024")
    stored_results(earlier, {w.VILLAGE: (60, Grade.PASS, 1, {"work": 60}, [])})
    made = scheme(w.TOWN, period="2025")
    stored_results(
        made,
        {
            w.VILLAGE: (92, Grade.EXCELLENT, 1, {"work": 92}, []),
            w.OTHER_VILLAGE_SAME_TOWN: (75, Grade.PASS, 2, {"work": 75}, []),
        },
    )
    return {"earlier": earlier, "made": made}


class Watched:
    """A page whose policy violations, console messages about the policy and script errors are
    collected, to be asserted empty."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def goto(self, url: str) -> None:
        response = self.page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"]

    def assert_no_violation(self) -> None:
        assert self.page.evaluate("window.__violations") == []
        assert self.console == []
        assert self.errors == []


def test_the_town_officials_pages_keep_the_policy_their_charts_drawn_and_the_picker_submitting(
    live_server, browser, portal
):
    with opened_page(browser) as page:
        watched = Watched(page)
        sign_in(page, live_server, "town_official")
        watched.assert_no_violation()

        watched.goto(live_server.url + reverse("home"))
        page.locator("nav.navbar").wait_for()
        watched.assert_no_violation()

        watched.goto(live_server.url + reverse("supervision:dashboard"))
        for chart in ("#chart-grades", "#chart-trend", "#chart-weakest"):
            page.locator(f"{chart} canvas").first.wait_for()
        # ECharts' tooltips are HTML with style attributes (style-src allows them).
        page.locator("#chart-grades canvas").first.hover()
        watched.assert_no_violation()

        # The scheme picker submits itself (data-auto-submit, static/js/portal.js).
        with page.expect_navigation():
            page.locator("#scheme-select").select_option(str(portal["earlier"].pk))
        assert f"scheme={portal['earlier'].pk}" in page.url
        page.locator("#chart-trend canvas").first.wait_for()
        watched.assert_no_violation()

        page.goto(live_server.url + reverse("supervision:scorecard", args=[portal["made"].pk, w.VILLAGE]))
        # The print button opens the print dialogue (data-print, static/js/portal.js).
        page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
        page.locator("[data-print]").click()
        assert page.evaluate("window.printed") == 1
        watched.assert_no_violation()


def test_a_report_with_its_chart_the_api_docs_the_browsable_api_and_the_admin_keep_the_policy(
    live_server, browser, portal
):
    with opened_page(browser, viewport={"width": 1366, "height": 900}) as page:
        watched = Watched(page)
        sign_in(page, live_server, "report_reader")

        watched.goto(live_server.url + reverse("reports"))
        page.locator("#report-reserve-cadres").click()
        page.wait_for_url(f"**{reverse('report', args=['reserve-cadres'])}**")
        page.locator("#report-chart canvas").first.wait_for()  # static/js/report_chart.js drew it
        watched.assert_no_violation()

        watched.goto(live_server.url + "/api/v1/docs/")
        # Swagger UI ran (its settings come from docs/?script) and rendered the operations it fetched.
        page.locator(".swagger-ui .opblock-tag").first.wait_for()
        page.locator(".swagger-ui .opblock-tag").first.click()
        page.locator(".swagger-ui .opblock").first.wait_for()
        watched.assert_no_violation()

        # DRF's browsable API (its scripts are static files, its CSRF token JSON) and Django's admin.
        watched.goto(live_server.url + "/api/v1/me/")
        page.locator(".response-info").wait_for()
        watched.goto(live_server.url + "/admin/login/")
        page.locator("#login-form").wait_for()
        watched.assert_no_violation()
