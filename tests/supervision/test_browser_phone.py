"""The village clerk's supervision forms on a 390 px phone, in Debian's Chromium: adding an item to
the village's disclosure catalogue, filing a disclosure, and the cooperatives' duty report votes
(the grid the clerk keeps for the village party organisation), whose three counts and score fit
beside each cooperative's name. Each form is submitted wrong first: its errors are on screen and
legible, nothing scrolls sideways; then right, and the page it lands on says so
(governance.testing.browser.try_form). One Chromium for the module."""

import datetime

import pytest
from django.urls import reverse

from governance import clock
from governance.testing import world as w
from governance.testing.browser import PHONE_VIEWPORT, opened_page, sign_in, try_form
from supervision.choices import Cadence
from supervision.models import Disclosure, DisclosureItem, DutyReportEvaluation
from villages.testing.factories import division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def item(transactional_db):
    """build_world() and a monthly item of the clerk's village's catalogue since January."""
    build_world()
    return DisclosureItem.objects.create(
        division=division(w.VILLAGE),
        title="村集体经济组织财务收支明细",
        cadence=Cadence.MONTHLY,
        since=datetime.date(clock.today().year, 1, 1),
    )


@pytest.fixture
def phone(module_browser, live_server, item):
    with opened_page(module_browser, PHONE_VIEWPORT) as page:
        sign_in(page, live_server, "village_clerk")
        yield page


def test_the_village_clerk_adds_an_item_to_the_disclosure_catalogue_on_a_phone(live_server, phone, item):
    phone.goto(live_server.url + reverse("supervision:disclosure_item_add", args=[w.VILLAGE]))

    try_form(
        phone,
        wrong={"title": "", "cadence": Cadence.QUARTERLY, "since": f"{clock.today().year}-01-01"},
        error="该字段是必填项",
        right={"title": "惠农补贴发放情况"},
        done="公开事项已登记。",
    )

    assert DisclosureItem.objects.filter(title="惠农补贴发放情况", cadence=Cadence.QUARTERLY).exists()


def test_the_village_clerk_files_a_disclosure_on_a_phone(live_server, phone, item):
    january = datetime.date(clock.today().year, 1, 1)
    tomorrow = clock.today() + datetime.timedelta(days=1)
    phone.goto(live_server.url + reverse("supervision:disclosure_file", args=[item.pk]) + f"?period={january}")

    try_form(
        phone,
        wrong={"filed_on": tomorrow.isoformat(), "content": "一月份收入 8.2 万元，支出 5.1 万元。"},
        error="不能晚于今天",
        right={"filed_on": clock.today().isoformat()},
        done="公开已登记。",
    )

    assert Disclosure.objects.get(item=item, period_start=january).filed_on == clock.today()


def test_the_village_clerk_records_the_cooperatives_duty_report_votes_on_a_phone(live_server, phone, item):
    phone.goto(live_server.url + reverse("supervision:duty_reports"))
    votes = {"satisfied": "20", "basically_satisfied": "3", "dissatisfied": "1"}

    try_form(
        phone,
        wrong={
            **{f"#{name}-{w.COOPERATIVE}": count for name, count in votes.items()},
            f"#dissatisfied-{w.COOPERATIVE}": "一",
        },
        error="票数应为非负整数。",
        right={f"#dissatisfied-{w.COOPERATIVE}": "1"},
        done="已保存 1 个单位的述职评议。",
        form="#duty-report-grid",
    )

    evaluation = DutyReportEvaluation.objects.get(unit_id=w.COOPERATIVE)
    assert (evaluation.satisfied, evaluation.basically_satisfied, evaluation.dissatisfied) == (20, 3, 1)
