"""The engagement dashboard (联系服务看板, engagement/pages/dashboard.py): who sees it where, the
caller's own division by default, a bad period as the form's error, and its charts drawn by a
static script from embedded JSON (no inline script). Each theme's panel has its own tests
(tests/engagement/test_*_panel*.py or its theme's page tests)."""

import pytest
from django.urls import reverse

from governance.testing import world as w
from governance.testing.pages import PageAccessTests, signed_in_client
from villages.testing.factories import division

pytestmark = pytest.mark.django_db

# Who views the five links (engagement/grants.py): the dashboard's readers.
DASHBOARD_VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}


class TestDashboardPage(PageAccessTests):
    viewers = DASHBOARD_VIEWERS

    def url(self, place):
        return reverse("engagement:dashboard") + f"?division={place.code}"

    def make_object(self, code):
        return division(code)


def test_the_dashboard_opens_on_the_callers_own_town_by_default(world):
    response = signed_in_client(world.user("town_official")).get(reverse("engagement:dashboard"))

    assert response.status_code == 200
    assert response.context["division"].code == w.TOWN


def test_a_bad_period_is_the_forms_error_and_the_year_is_shown(world):
    response = signed_in_client(world.user("town_official")).get(reverse("engagement:dashboard"), {"period": "2026-13"})

    assert response.status_code == 200
    assert response.context["form"].errors["period"]


def test_a_division_that_is_not_a_code_is_404(world):
    response = signed_in_client(world.user("district_admin")).get(
        reverse("engagement:dashboard"), {"division": "44'; --"}
    )

    assert response.status_code == 404


def test_the_charts_are_drawn_by_a_static_script_from_embedded_json(world):
    response = signed_in_client(world.user("town_official")).get(reverse("engagement:dashboard"))

    assert 'id="engagement-dashboard-data"' in response.text and "js/engagement_dashboard.js" in response.text
    assert "<script>" not in response.text.split('id="engagement-dashboard-data"')[1]
