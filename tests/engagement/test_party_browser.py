"""A real browser (Debian's Chromium): a village clerk, on a 390 px phone, awards a party member
points for volunteer service: the form fits the screen, an activity the district has no rule for
is refused legibly on its field, the right one records the district rule's points; then the
member's village page shows their post, and the pioneer index page their index."""

import pytest
from django.urls import reverse

from engagement.choices import PointActivity
from engagement.models import PointEntry
from engagement.testing.factories import PointRuleFactory, PostClaimFactory, ServicePostFactory
from governance.testing import world as w
from governance.testing.browser import PHONE_VIEWPORT, assert_fits, sign_in, try_form
from villages.testing.factories import PartyMembershipFactory, division
from villages.testing.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member(transactional_db):
    build_world()
    PointRuleFactory(district=division(w.DISTRICT), activity=PointActivity.VOLUNTEER, points=4)
    made = PartyMembershipFactory(branch=division(w.VILLAGE), person__name="黄丽")
    PostClaimFactory(post=ServicePostFactory(division=division(w.VILLAGE), name="环境监督岗"), member=made)
    return made


def test_a_village_clerk_awards_points_on_a_phone(live_server, page, member):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size(PHONE_VIEWPORT)
    sign_in(page, live_server, "village_clerk")

    page.goto(live_server.url + reverse("engagement:party_points_award", args=[w.VILLAGE]))
    try_form(
        page,
        wrong={"member": str(member.pk), "activity": "visit"},  # the day: today, the form's default
        error="本区尚未设定“走访”的积分规则，不能记分。",
        right={"activity": "volunteer", "note": "清理河涌"},
        done="已为 黄丽 记 4 分。",
    )
    assert list(PointEntry.objects.values_list("points", "note")) == [(4, "清理河涌")]

    page.goto(live_server.url + reverse("engagement:party_village_posts", args=[w.VILLAGE]))
    assert_fits(page)
    assert "环境监督岗" in page.inner_text("#posts") and "黄丽" in page.inner_text("#posts")
    page.goto(live_server.url + reverse("engagement:party_pioneer_index") + f"?division={w.VILLAGE}")
    assert_fits(page)
    assert "100.0" in page.inner_text("main")
    assert errors == []
