"""A real browser takes a decision through its steps: Playwright drives Debian's Chromium (never a
downloaded one) against the live test server, as the village clerk. The step form says which rule
a figure breaks while it is typed (htmx), before anything is submitted.
"""

import pytest

from governance.testing import world as w
from governance.testing.browser import ARTIFACTS, expect, sign_in
from rights_lists.choices import DecisionState
from rights_lists.models import Decision
from rights_lists.testing.factories import adopted_template
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def village(transactional_db):
    """build_world() and the district's template adopted in the village clerk's village."""
    world = build_world()
    adopted_template(w.VILLAGE)
    return world


def fill_meeting(page, *, held_on: str, expected: int, present: int, votes_for: int) -> None:
    page.get_by_label("召开日期").fill(held_on)
    page.get_by_label("应到人数").fill(str(expected))
    page.get_by_label("实到人数").fill(str(present))
    page.get_by_label("赞成").fill(str(votes_for))


def test_a_village_clerk_records_a_decisions_meetings_told_which_rule_a_figure_breaks_before_submitting(
    live_server, page, village
):
    sign_in(page, live_server, "village_clerk")

    # From the navigation to the items in force, and a new decision on the land item.
    page.get_by_role("button", name="事权与决策").or_(page.get_by_role("link", name="事权与决策")).click()
    page.get_by_role("link", name="清单与决策").click()
    page.wait_for_url("**/decisions/")
    page.locator("#open-decision").click()
    page.wait_for_url(f"**/divisions/{w.VILLAGE}/list-items/")
    page.locator("li", has_text="集体土地发包、出租").get_by_role("link", name="新建决策").click()
    page.wait_for_url(f"**/divisions/{w.VILLAGE}/decisions/new/?item=*")
    page.get_by_label("决策事项").fill("村东鱼塘发包")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/decisions/*/")
    expect(page.locator("#decision-title")).to_have_text("村东鱼塘发包")
    expect(page.locator("#decision-state")).to_have_text("审议中")

    # The proposal: too few present for the party committee is said under the field while typing.
    page.locator("#record-next-step").click()
    page.wait_for_url("**/steps/new/")
    expect(page.locator("#rules-in-force")).to_contain_text("《中国共产党支部工作条例（试行）》第十三条")
    fill_meeting(page, held_on="2025-03-01", expected=7, present=3, votes_for=3)
    expect(page.locator("#preview-present")).to_contain_text("村党组织委员会不能召开")
    expect(page.locator("#preview-present")).to_contain_text("到会人数 3 不足应到 7 人的半数（至少 4 人）")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "decision-step-preview.png"), full_page=True)
    assert not Decision.objects.get().steps.exists()  # nothing was submitted

    page.get_by_label("实到人数").fill("6")
    page.get_by_label("赞成").fill("5")
    expect(page.locator("#preview-present")).to_be_empty()
    expect(page.locator("#preview-verdict")).to_contain_text("可以登记，将通过")
    page.locator("#record-step").click()
    page.wait_for_url("**/decisions/*/")
    expect(page.get_by_role("alert")).to_have_text("已登记“党组织提议”：通过。")
    expect(page.locator("#step-proposal")).to_contain_text("通过")

    # The consultation and the review, each on its own form.
    for held_on, expected, present, votes in (("2025-03-03", 9, 8, 7), ("2025-03-05", 30, 20, 18)):
        page.locator("#record-next-step").click()
        page.wait_for_url("**/steps/new/")
        fill_meeting(page, held_on=held_on, expected=expected, present=present, votes_for=votes)
        expect(page.locator("#preview-verdict")).to_contain_text("可以登记，将通过")
        page.locator("#record-step").click()
        page.wait_for_url("**/decisions/*/")

    # The resolution: submitted inquorate anyway, the service refuses it under the field.
    page.locator("#record-next-step").click()
    page.wait_for_url("**/steps/new/")
    page.get_by_label("会议").select_option("representative_assembly")
    fill_meeting(page, held_on="2025-03-02", expected=21, present=13, votes_for=13)
    expect(page.locator("#preview-held_on")).to_contain_text("早于上一步骤“审议（审核）”的日期 2025-03-05")
    page.get_by_label("召开日期").fill("2025-03-08")
    expect(page.locator("#preview-held_on")).to_be_empty()
    expect(page.locator("#preview-present")).to_contain_text("《村民委员会组织法》第二十六条")
    page.locator("#record-step").click()
    expect(page.locator("#error-present")).to_contain_text("到会人数 13 不足应到 21 人的三分之二（至少 14 人）")
    page.screenshot(path=str(ARTIFACTS / "decision-step-refused.png"), full_page=True)

    page.get_by_label("实到人数").fill("18")
    page.get_by_label("赞成").fill("15")
    page.locator("#record-step").click()
    page.wait_for_url("**/decisions/*/")
    expect(page.locator("#decision-state")).to_have_text("已通过")

    # The resolution is published from the decision's page.
    page.locator("#publish-resolution").click()
    page.get_by_label("公开日期").fill("2025-03-09")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/decisions/*/")
    expect(page.locator("#decision-state")).to_have_text("决议已公开")
    expect(page.locator("#timeline")).to_contain_text("《村民委员会组织法》第二十六条")
    page.screenshot(path=str(ARTIFACTS / "decision-timeline.png"), full_page=True)
    assert Decision.objects.get().state == DecisionState.RESOLUTION_PUBLISHED
