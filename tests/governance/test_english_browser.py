"""The village clerk's key pages in English at a laptop's 1366 px, in Debian's Chromium: switched to
English with the top bar's language switch, each page answers, does not scroll sideways, keeps
the user's name and sign-out on screen beside the menus (in two rows at most), and the top bar
has no Chinese left in it
but the switch's own 简体中文 and the user's name (issue 16: the English bar overflowed).

One test walks the pages (one live-server world, one sign-in) and reports every page's problems
at once."""

import re

import pytest
from django.urls import reverse

from covenants.testing.factories import ViolationFactory, published_covenant
from governance import clock
from governance.testing import world as w
from governance.testing.browser import LAPTOP_VIEWPORT, TOLERANCE_PX, opened_page, sign_in
from rights_lists.testing.factories import DecisionFactory, adopted_template
from supervision.choices import Cadence
from supervision.models import DisclosureItem
from villages.testing.factories import PersonFactory, division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Han characters and the full-width punctuation that comes with them.
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff01-\uff5e]+")

# The top bar's text, less what is rightly not English: the language switch's names of the
# languages in their own language (lang="zh-hans") and the name of the user signed in.
TOP_BAR_TEXT = """() => {
    const bar = document.querySelector("nav.navbar").cloneNode(true);
    bar.querySelectorAll("[lang], #current-user").forEach(element => element.remove());
    return bar.textContent;
}"""

# Where the top bar's parts are: the menus must end before the user's controls begin.
TOP_BAR_BOXES = """() => {
    const box = selector => {
        const element = document.querySelector(selector);
        return element ? element.getBoundingClientRect().toJSON() : null;
    };
    const rows = new Set(Array.from(document.querySelectorAll("#main-nav .navbar-nav > .nav-item"))
        .map(item => Math.round(item.getBoundingClientRect().top)));
    return {menus: box("#main-nav .navbar-nav"), user: box("#user-controls"), signOut: box("#sign-out"),
            name: box("#current-user"), rows: rows.size};
}"""
# A laptop's screen is 768 px high: the top bar may wrap its menus onto a second row, not a third.
MAX_MENU_ROWS = 2


@pytest.fixture
def records(transactional_db):
    """build_world() and a record of each kind the clerk's pages show in the clerk's village."""
    build_world()
    villager = PersonFactory(name="陈大文", division=division(w.VILLAGE))
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    ViolationFactory(clause=clause, person=villager, confirmed_on=None)
    adopted_template(w.VILLAGE)
    decision = DecisionFactory(division=division(w.VILLAGE))
    item = DisclosureItem.objects.create(
        division=division(w.VILLAGE),
        title="村集体经济组织财务收支明细",
        cadence=Cadence.MONTHLY,
        since=clock.today().replace(month=1, day=1),
    )
    return {"villager": villager, "decision": decision, "item": item}


def key_pages(records) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "village": reverse("villages:division", args=[w.VILLAGE]),
        "person": reverse("villages:person", args=[records["villager"].pk]),
        "person form": reverse("villages:person_add", args=[w.VILLAGE]),
        "people": reverse("villages:people"),
        "violations": reverse("covenants:violations"),
        "violation form": reverse("covenants:violation_add", args=[w.VILLAGE]),
        "decision": reverse("rights_lists:decision", args=[records["decision"].pk]),
        "decision step form": reverse("rights_lists:step_record", args=[records["decision"].pk]),
        "disclosure calendar": reverse("supervision:disclosure_calendar"),
        "disclosure form": reverse("supervision:disclosure_file", args=[records["item"].pk]),
        "duty report grid": reverse("supervision:duty_reports"),
        "reports": reverse("reports"),
    }


def problems_of(page) -> list[str]:
    """What is wrong with the page shown, at its width, in English."""
    problems = []
    width = page.evaluate("window.innerWidth")
    if page.locator("html").get_attribute("lang") != "en":
        problems.append("not in English")
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    if scroll_width > width + TOLERANCE_PX:
        problems.append(f"{scroll_width} px wide")
    boxes = page.evaluate(TOP_BAR_BOXES)
    for part in ("signOut", "name"):
        box = boxes[part]
        if box is None or box["width"] == 0 or box["left"] < 0 or box["right"] > width + TOLERANCE_PX:
            problems.append(f"{part} off screen: {box}")
    if boxes["menus"] and boxes["menus"]["right"] > boxes["user"]["left"] + TOLERANCE_PX:
        problems.append("the menus run under the user's name")
    if boxes["rows"] > MAX_MENU_ROWS:
        problems.append(f"the menus take {boxes['rows']} rows")
    chinese = CHINESE.findall(page.evaluate(TOP_BAR_TEXT))
    if chinese:
        problems.append(f"Chinese in the top bar: {chinese}")
    return problems


def test_the_village_clerks_key_pages_in_english_fit_a_laptop_of_1366_px(module_browser, live_server, records):
    with opened_page(module_browser, LAPTOP_VIEWPORT) as page:
        sign_in(page, live_server, "village_clerk")
        with page.expect_navigation():
            page.locator("#language-form button[lang=en]").click()

        found = {}
        for name, url in key_pages(records).items():
            response = page.goto(live_server.url + url)
            problems = [] if response.ok else [f"answered {response.status}"]
            found[name] = problems + problems_of(page)

    assert {name: problems for name, problems in found.items() if problems} == {}
