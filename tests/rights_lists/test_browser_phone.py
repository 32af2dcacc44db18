"""The village clerk's decision forms on a 390 px phone, in Debian's Chromium: opening a decision on
an item in force, recording a step of it (a meeting's figures, refused when inquorate) and filing
a matter for admission. Each form is submitted wrong first: its errors are on screen and
legible, nothing scrolls sideways; then right, and the page it lands on says so
(governance.testing.browser.try_form). One Chromium for the module."""

import pytest
from django.urls import reverse

from governance.clock import today
from governance.testing import world as w
from governance.testing.browser import PHONE_VIEWPORT, opened_page, sign_in, try_form
from rights_lists.models import AdmissionRequest, Decision
from rights_lists.testing.factories import DecisionFactory, adopted_template
from villages.testing.factories import division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def decision(transactional_db):
    """build_world(), the district's template adopted in the clerk's village and an open decision
    on its item 1 (four deliberations: the party committee proposes first)."""
    build_world()
    adopted_template(w.VILLAGE)
    return DecisionFactory(division=division(w.VILLAGE), title="村东鱼塘发包")


@pytest.fixture
def phone(module_browser, live_server, decision):
    with opened_page(module_browser, PHONE_VIEWPORT) as page:
        sign_in(page, live_server, "village_clerk")
        yield page


def test_the_village_clerk_opens_a_decision_on_a_phone(live_server, phone, decision):
    phone.goto(live_server.url + reverse("rights_lists:decision_open", args=[w.VILLAGE]) + f"?item={decision.item_id}")

    try_form(
        phone,
        wrong={"title": "村西鱼塘发包", "amount": "-5"},
        error="大于或等于",
        right={"amount": "80000"},
        done="已新建决策",
    )

    assert Decision.objects.filter(title="村西鱼塘发包").exists()


def test_the_village_clerk_records_a_decisions_step_on_a_phone(live_server, phone, decision):
    phone.goto(live_server.url + reverse("rights_lists:step_record", args=[decision.pk]))

    try_form(
        phone,
        wrong={"held_on": "2025-03-01", "expected": "7", "present": "3", "votes_for": "3"},
        error="到会人数 3 不足应到 7 人的半数（至少 4 人）",
        right={"present": "6", "votes_for": "5"},
        done="已登记“党组织提议”：通过。",
    )

    assert decision.steps.count() == 1


def test_the_village_clerk_files_a_matter_for_admission_on_a_phone(live_server, phone, decision):
    phone.goto(live_server.url + reverse("rights_lists:admission_file", args=[w.VILLAGE]))

    try_form(
        phone,
        wrong={"requester": "", "matter": "协助开展人口普查入户登记", "requested_on": today().isoformat()},
        error="该字段是必填项",
        right={"requester": "狮山镇统计办"},
        done="已登记，结果：",
    )

    assert AdmissionRequest.objects.filter(requester="狮山镇统计办").exists()
