"""A real browser (governance.testing.browser's `browser` and `page`) takes a violation from its
record to its confirmation and to the person's eligibility. The village clerk records a serious
violation by someone who already violated the covenant two months before, a town official
confirms it (never the recorder: four eyes): a repeat (屡教不改), so the violation's page names the
tier and the person's page then shows the bars with the day each one ends.

The pages judge what is in force today, so the dates typed are set from today, and the end dates
expected follow from them by the rule of governance.periods.same_day_later (an N-year bar confirmed
on D lets the person act again on the same date N years later).
"""

import datetime

import pytest
from django.urls import reverse

from covenants.choices import ASSET_BIDDING_BAR_YEARS, ELECTION_BAR_YEARS, Severity
from covenants.models import Violation
from covenants.testing.factories import ViolationFactory, published_covenant
from governance.clock import today
from governance.periods import same_day_later
from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, expect, sign_in
from villages.identity import make_id_number
from villages.testing.factories import PersonFactory, division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def village(transactional_db):
    """build_world(), the village's general covenant in force (clause 1 bars a repeat violator from
    bidding, election and nomination) and 陈大文, registered in the village, with a confirmed
    violation of clause 1 two months ago."""
    world = build_world()
    clause = published_covenant(w.VILLAGE).clauses.get(number=1)
    person = PersonFactory(
        name="陈大文", division=division(w.VILLAGE), id_number=make_id_number("440605", datetime.date(1980, 2, 3), 21)
    )
    earlier = today() - datetime.timedelta(days=60)
    ViolationFactory(clause=clause, person=person, occurred_on=earlier, confirmed_on=earlier)
    return world, clause, person


def test_a_violation_recorded_by_the_clerk_and_confirmed_by_the_town_bars_the_person_until_its_end_date(
    live_server, page, village
):
    _world, clause, person = village
    occurred_on, confirmed_on = today() - datetime.timedelta(days=10), today() - datetime.timedelta(days=3)
    bidding_again = same_day_later(confirmed_on, years=ASSET_BIDDING_BAR_YEARS)
    election_again = same_day_later(confirmed_on, years=ELECTION_BAR_YEARS)
    ARTIFACTS.mkdir(exist_ok=True)

    # The clerk records the violation from the register: the person by ID number, clause 1, serious.
    sign_in(page, live_server, "village_clerk")
    page.goto(live_server.url + reverse("covenants:violations"))
    page.locator("#add-violation").click()
    page.wait_for_url(f"**/divisions/{w.VILLAGE}/violations/new/")
    page.get_by_label("违约人身份证号").fill(person.id_number)
    page.get_by_label("违反条款").select_option(str(clause.pk))
    page.get_by_label("发生日期").fill(occurred_on.isoformat())
    page.get_by_label("违约事实").fill("擅自占用集体仓库堆放私人物品，经劝阻拒不清理。")
    page.get_by_label("情节").select_option(Severity.SERIOUS)
    page.screenshot(path=str(ARTIFACTS / "violation-form.png"), full_page=True)
    page.get_by_role("button", name="保存").click()

    page.wait_for_url("**/covenants/violations/*/")
    assert page.get_by_role("alert").inner_text() == "已登记违约，等待认定。"
    expect(page.locator("#violation-state")).to_have_text("待认定")
    assert page.locator("#confirm-violation").count() == 0  # the recorder may not confirm it
    violation = Violation.objects.get(person=person, confirmed_on=None)
    assert (violation.confirmed_on, violation.severity) == (None, Severity.SERIOUS)
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")

    # A town official is told a violation waits for them and confirms it.
    sign_in(page, live_server, "town_official")
    pending = page.locator("#pending-violations_to_confirm")
    expect(pending).to_contain_text("1 条违约记录待认定。")
    pending.get_by_role("link", name="去认定").click()
    page.wait_for_url("**/covenants/violations/?*to_confirm=true*")
    page.locator("#violations").get_by_role("link", name=occurred_on.isoformat()).click()
    page.wait_for_url(f"**/covenants/violations/{violation.pk}/")
    page.locator("#confirm-violation").click()
    page.wait_for_url(f"**/covenants/violations/{violation.pk}/confirm/")
    page.get_by_label("认定日期").fill(confirmed_on.isoformat())
    expect(page.get_by_label("情节")).to_have_value(Severity.SERIOUS)
    page.get_by_role("button", name="保存").click()

    page.wait_for_url(f"**/covenants/violations/{violation.pk}/")
    assert page.get_by_role("alert").inner_text() == "已认定该违约。"
    expect(page.locator("#violation-tier")).to_contain_text("屡教不改（12个月内第2次违反《")
    sanctions = page.locator("#violation-sanctions")
    expect(sanctions).to_contain_text(f"{election_again.isoformat()}起恢复")
    expect(sanctions).to_contain_text(f"{bidding_again.isoformat()}起恢复")
    page.screenshot(path=str(ARTIFACTS / "violation-confirmed.png"), full_page=True)

    # The person's page: barred from bidding and election, each with the day it ends.
    page.locator("#violation-details").get_by_role("link", name="陈大文").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    record = page.locator("#covenant-record")
    expect(record.locator("#barred-election")).to_contain_text(f"{election_again.isoformat()}起恢复")
    expect(record.locator("#barred-asset_bidding")).to_contain_text(f"{bidding_again.isoformat()}起恢复")
    last_day = election_again - datetime.timedelta(days=1)
    expect(record.locator("#sanctions-today")).to_contain_text(
        f"至{last_day.isoformat()}止，{election_again.isoformat()}起恢复"
    )
    expect(record.locator("#person-violations")).to_contain_text(occurred_on.isoformat())
    page.screenshot(path=str(ARTIFACTS / "person-barred.png"), full_page=True)
    assert Violation.objects.get(pk=violation.pk).confirmed_on == confirmed_on
