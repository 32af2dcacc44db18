"""The village's published resolutions and outcomes on its public page (/public/<code>/, no
sign-in; DESIGN.md section 7): newest first, with the meeting that adopted them and how they were
carried out once the outcome is published, those of its cooperatives too, never anything about a
person, and a fixed number of queries."""

import datetime

from django.test import Client
from django.urls import reverse

from governance.testing import world as w
from governance.testing.pages import queries_for
from rights_lists import services
from rights_lists.choices import Procedure, first_implementation_day
from rights_lists.testing.factories import decision_on
from villages.testing.factories import division

D = datetime.date


def public_page(code: str = w.VILLAGE):
    return Client().get(reverse("public_division", args=[code]))


def recorder(code: str) -> str:
    """The village clerk records their village's decisions, the district admin the others."""
    return "village_clerk" if code.startswith(w.VILLAGE) else "district_admin"


def adopted(world, code: str, title: str, held_on: D, **extra):
    """A committee decision adopted by the two committees on `held_on`."""
    decision = decision_on(code, Procedure.COMMITTEE, title=title, **extra)
    services.record_step(
        decision,
        acting_user=world.user(recorder(code)),
        step="consultation",
        held_on=held_on,
        expected=9,
        present=8,
        votes_for=7,
        votes_against=1,
    )
    return decision


def published(world, code: str, title: str, held_on: D, **extra):
    decision = adopted(world, code, title, held_on, **extra)
    services.publish_decision(decision, acting_user=world.user(recorder(code)), kind="resolution", published_on=held_on)
    return decision


def closed(world, code: str, title: str, held_on: D, summary: str):
    """Published on `held_on`, implemented on the first day its item's publicity period allows
    (R24), its outcome published that day."""
    decision = published(world, code, title, held_on)
    clerk = world.user("village_clerk")
    done_on = first_implementation_day(held_on, decision.item.publicity_days)
    services.record_implementation(decision, acting_user=clerk, done_on=done_on, summary=summary)
    services.publish_decision(decision, acting_user=clerk, kind="outcome", published_on=done_on)
    return decision


def test_a_published_resolution_shows_with_the_meeting_that_adopted_it(world):
    published(world, w.VILLAGE, "村道硬底化工程", D(2025, 3, 1), amount_fen=1_234_500)

    page = public_page().text

    assert 'id="public-decisions"' in page and "村道硬底化工程" in page
    assert "2025-03-01 两委联席会议：应到 9 人，实到 8 人；赞成 7 票，反对 1 票，弃权 0 票，通过。" in page
    assert "涉及金额 12,345.00 元" in page
    assert "实施中，结果待公开。" in page


def test_an_outcome_shows_how_the_decision_was_carried_out_once_published(world):
    closed(world, w.VILLAGE, "鱼塘发包", D(2025, 3, 1), "鱼塘已按决议公开发包，租期五年。")

    page = public_page().text

    assert "鱼塘已按决议公开发包，租期五年。" in page and "实施结果公开" in page


def test_how_a_decision_is_carried_out_stays_private_until_its_outcome_is_published(world):
    decision = published(world, w.VILLAGE, "鱼塘发包", D(2025, 3, 1))
    services.record_implementation(
        decision, acting_user=world.user("village_clerk"), done_on=D(2025, 3, 6), summary="尚在核对的实施情况"
    )

    assert "尚在核对的实施情况" not in public_page().text


def test_decisions_not_yet_published_and_those_of_other_villages_are_not_shown(world):
    adopted(world, w.VILLAGE, "未公开的决议", D(2025, 3, 1))
    decision_on(w.VILLAGE, title="审议中的决策")
    published(world, w.OTHER_VILLAGE_SAME_TOWN, "邻村的决议", D(2025, 3, 1))

    page = public_page().text

    assert "未公开的决议" not in page and "审议中的决策" not in page and "邻村的决议" not in page
    assert 'id="public-decisions"' not in page


def test_a_cooperatives_published_resolution_shows_on_its_villages_page_with_its_name(world):
    division(w.COOPERATIVE, "第一经济社")
    published(world, w.COOPERATIVE, "经济社物业出租", D(2025, 3, 1))

    page = public_page().text

    assert "经济社物业出租" in page and "第一经济社" in page


def test_the_newest_published_resolutions_come_first(world):
    published(world, w.VILLAGE, "较早的决议", D(2025, 1, 5))
    published(world, w.VILLAGE, "较新的决议", D(2025, 6, 5))

    page = public_page().text

    assert page.index("较新的决议") < page.index("较早的决议")


def test_nothing_about_any_person_shows(world):
    decision = published(world, w.VILLAGE, "村道硬底化工程", D(2025, 3, 1))
    services.withdraw_decision(
        decision, acting_user=world.user("village_clerk"), reason="张三反映有误，撤回。", withdrawn_on=D(2025, 3, 3)
    )

    page = public_page().text

    assert "村道硬底化工程" in page and "已撤回" in page
    assert "张三" not in page and "village_clerk" not in page


def test_the_section_costs_the_same_queries_for_one_decision_and_for_many(world):
    published(world, w.VILLAGE, "决议1", D(2025, 3, 1))
    client = Client()
    url = reverse("public_division", args=[w.VILLAGE])

    with_one = queries_for(client, url)
    for n in range(2, 8):
        closed(world, w.VILLAGE, f"决议{n}", D(2025, 3, n), "已完成。")

    assert queries_for(client, url) == with_one
