"""The pages of service centres, operating funds, emergency plans and drills (issue 18 point 4):
the access matrix of every page (each role inside and outside its jurisdiction), each form posting
to its service with its refusals on the form's fields in Chinese, the town's table with the
targets met and missed at their boundaries, the home page's count of plans due a drill, the
navigation, the dashboard's panel, and pinned query counts that do not grow with the rows."""

import datetime

import pytest
from django.urls import reverse

from engagement.choices import MIN_OPERATING_FUND_FEN
from engagement.models import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from engagement.testing.factories import DrillFactory, EmergencyPlanFactory, OperatingFundFactory, ServiceCentreFactory
from governance import clock
from governance.testing import world as w
from governance.testing.pages import ROLES, PageAccessTests, queries_for, signed_in_client
from villages.testing.factories import division

pytestmark = pytest.mark.django_db

VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}
KEEPERS = {"district_admin", "village_clerk"}
THIRD_VILLAGE = f"{w.TOWN}003"


def village_of(code: str) -> str:
    return code[:12]


def centre_in(code: str) -> ServiceCentre:
    village = division(village_of(code))
    return ServiceCentre.objects.filter(division=village).first() or ServiceCentreFactory(division=village)


def plan_in(code: str, **fields) -> EmergencyPlan:
    fields.setdefault("adopted_on", clock.today() - datetime.timedelta(days=400))
    return EmergencyPlanFactory(division=division(village_of(code)), title=f"预案{code}", **fields)


# --- access ---------------------------------------------------------------------------------------


class TestVillageCentresPage(PageAccessTests):
    viewers = VIEWERS

    def url(self, centre):
        return reverse("engagement:centres_village", args=[centre.division_id])

    def make_object(self, code):
        return centre_in(code)


class TestCentreEditPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, centre):
        return reverse("engagement:centres_centre_edit", args=[centre.division_id])

    def make_object(self, code):
        return centre_in(code)

    def post_data(self, centre):
        return {"area_m2": "500.0", "service_area_m2": "400.0", "households_served": "1234"}


class TestFundAddPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, centre):
        return reverse("engagement:centres_fund_add", args=[centre.division_id])

    def make_object(self, code):
        return centre_in(code)

    def post_data(self, centre):
        return {"year": "2030", "amount": "350000.50"}


class TestFundEditPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, fund):
        return reverse("engagement:centres_fund_edit", args=[fund.pk])

    def make_object(self, code):
        return OperatingFundFactory(division=division(village_of(code)), year=2020 + len(code) + int(code[-1]))

    def post_data(self, fund):
        return {"amount": "123.45"}


class TestPlanAddPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, centre):
        return reverse("engagement:centres_plan_add", args=[centre.division_id])

    def make_object(self, code):
        return centre_in(code)

    def post_data(self, centre):
        return {"title": "地质灾害应急预案", "adopted_on": "2025-03-01", "people_trained": "15"}


class TestPlanEditPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, plan):
        return reverse("engagement:centres_plan_edit", args=[plan.pk])

    def make_object(self, code):
        return plan_in(code)

    def post_data(self, plan):
        return {"title": f"{plan.title}（修订）", "adopted_on": plan.adopted_on.isoformat(), "people_trained": "30"}


class TestDrillAddPage(PageAccessTests):
    viewers = VIEWERS
    posters = KEEPERS

    def url(self, plan):
        return reverse("engagement:centres_drill_add", args=[plan.pk])

    def make_object(self, code):
        return plan_in(code)

    def post_data(self, plan):
        return {"held_on": clock.today().isoformat(), "participants": "45", "note": "疏散演练"}


class TestPlansDuePage(PageAccessTests):
    """The plans due a drill where the visitor records drills: a village's keepers see theirs."""

    viewers = KEEPERS
    is_list = True

    def url(self, obj):
        return reverse("engagement:centres_plans_due")

    def make_object(self, code):
        return plan_in(code)

    def marker(self, plan):
        return plan.title


@pytest.mark.parametrize("who", ROLES)
def test_the_town_table_is_for_who_views_the_theme_and_lists_their_villages(world, who):
    centre_in(w.VILLAGE)
    centre_in(w.OTHER_TOWN_VILLAGE)
    client = signed_in_client(world.user(who))

    mine = client.get(reverse("engagement:centres"))
    other_town = client.get(reverse("engagement:centres"), {"division": w.OTHER_TOWN})

    if who not in VIEWERS:
        assert mine.status_code == 404 and other_town.status_code == 404
        return
    assert mine.status_code == 200
    codes = [row["code"] for row in mine.context["rows"]]
    assert w.VILLAGE in codes
    assert (w.OTHER_TOWN_VILLAGE in codes) is (who in ("district_admin", "inspector"))
    assert other_town.status_code == (200 if who in ("district_admin", "inspector") else 404)


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_table(world):
    response = signed_in_client(None).get(reverse("engagement:centres"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- the forms ------------------------------------------------------------------------------------


def test_a_clerk_records_the_centre_a_fund_a_plan_and_a_drill_through_the_pages(world):
    client = signed_in_client(world.user("village_clerk"))
    village = division(w.VILLAGE)

    centre = client.post(
        reverse("engagement:centres_centre_edit", args=[village.code]),
        {"area_m2": "300.0", "service_area_m2": "210.0", "households_served": "1000"},
    )
    fund = client.post(
        reverse("engagement:centres_fund_add", args=[village.code]), {"year": "2025", "amount": "379999.99"}
    )
    plan = client.post(
        reverse("engagement:centres_plan_add", args=[village.code]),
        {"title": "防汛应急预案", "adopted_on": "2025-01-05", "people_trained": "18"},
    )
    made = EmergencyPlan.objects.get(division=village)
    drill = client.post(
        reverse("engagement:centres_drill_add", args=[made.pk]), {"held_on": "2025-06-01", "participants": "40"}
    )
    page = client.get(reverse("engagement:centres_village", args=[village.code]))

    for response in (centre, fund, plan, drill):
        assert response.status_code == 302 and response.url == reverse(
            "engagement:centres_village", args=[village.code]
        )
    assert ServiceCentre.objects.get(division=village).households_served == 1000
    assert OperatingFund.objects.get(division=village, year=2025).amount_fen == MIN_OPERATING_FUND_FEN - 1
    assert Drill.objects.get(plan=made).participants == 40
    assert "379,999.99" in page.text and "0.01" in page.text and "低于38万元" in page.text
    assert "防汛应急预案" in page.text and "2025-06-01" in page.text


def test_the_forms_refuse_on_their_fields_in_chinese(world):
    client = signed_in_client(world.user("village_clerk"))
    made = plan_in(w.VILLAGE, adopted_on=datetime.date(2025, 1, 1))
    OperatingFundFactory(division=division(w.VILLAGE), year=2025)

    too_much = client.post(
        reverse("engagement:centres_centre_edit", args=[w.VILLAGE]),
        {"area_m2": "100.0", "service_area_m2": "100.5", "households_served": "10"},
    )
    twice = client.post(reverse("engagement:centres_fund_add", args=[w.VILLAGE]), {"year": "2025", "amount": "1"})
    future = client.post(
        reverse("engagement:centres_drill_add", args=[made.pk]),
        {"held_on": (clock.today() + datetime.timedelta(days=1)).isoformat(), "participants": "5"},
    )
    before = client.post(
        reverse("engagement:centres_drill_add", args=[made.pk]), {"held_on": "2024-12-31", "participants": "5"}
    )
    blank = client.post(reverse("engagement:centres_drill_add", args=[made.pk]), {})

    assert too_much.status_code == 200
    assert too_much.context["form"].errors["service_area_m2"] == ["服务和活动面积不能大于总面积。"]
    assert twice.context["form"].errors["year"] == ["2025 年度的运转经费已登记，请修改原记录。"]
    assert future.context["form"].errors["held_on"] == ["日期不能晚于今天。"]
    assert "演练日期不能早于预案制定日期" in before.context["form"].errors["held_on"][0]
    assert set(blank.context["form"].errors) == {"held_on", "participants"}
    assert not Drill.objects.exists() and not ServiceCentre.objects.exists()


def test_the_drill_form_is_made_for_a_phone(world):
    made = plan_in(w.VILLAGE)
    response = signed_in_client(world.user("village_clerk")).get(
        reverse("engagement:centres_drill_add", args=[made.pk])
    )

    assert response.status_code == 200
    assert 'type="date"' in response.text and 'inputmode="numeric"' in response.text
    assert "form-control-lg" in response.text and "btn-lg" in response.text
    assert response.context["form"]["held_on"].value() == clock.today()


def test_a_fund_is_corrected_in_yuan_and_its_year_stays(world):
    fund = OperatingFundFactory(division=division(w.VILLAGE), year=2025, amount_fen=100)
    client = signed_in_client(world.user("village_clerk"))

    shown = client.get(reverse("engagement:centres_fund_edit", args=[fund.pk]))
    saved = client.post(reverse("engagement:centres_fund_edit", args=[fund.pk]), {"year": "2020", "amount": "380000"})

    assert 'value="1.00"' in shown.text
    assert saved.status_code == 302
    fund.refresh_from_db()
    assert (fund.year, fund.amount_fen) == (2025, MIN_OPERATING_FUND_FEN)


def test_a_town_official_reads_the_village_page_without_the_buttons(world):
    made = plan_in(w.VILLAGE)
    centre_in(w.VILLAGE)

    official = signed_in_client(world.user("town_official")).get(
        reverse("engagement:centres_village", args=[w.VILLAGE])
    )
    clerk = signed_in_client(world.user("village_clerk")).get(reverse("engagement:centres_village", args=[w.VILLAGE]))

    drill_url = reverse("engagement:centres_drill_add", args=[made.pk])
    assert drill_url not in official.text and 'id="edit-centre"' not in official.text
    assert drill_url in clerk.text and 'id="edit-centre"' in clerk.text
    assert "一年内未演练" in official.text


def test_another_towns_village_is_404_to_a_town_official(world):
    client = signed_in_client(world.user("town_official"))
    made = plan_in(w.OTHER_TOWN_VILLAGE)
    assert client.get(reverse("engagement:centres_village", args=[w.OTHER_TOWN_VILLAGE])).status_code == 404
    assert client.get(reverse("engagement:centres_drill_add", args=[made.pk])).status_code == 404


# --- the town's table -----------------------------------------------------------------------------


def test_the_town_table_marks_each_target_met_or_missed_at_its_boundary(world):
    luocun, lianhe = division(w.VILLAGE), division(w.OTHER_VILLAGE_SAME_TOWN)
    division(THIRD_VILLAGE)
    ServiceCentreFactory(division=luocun, area_m2="30.0", service_area_m2="21.0", households_served=100)
    ServiceCentreFactory(division=lianhe, area_m2="29.9", service_area_m2="20.9", households_served=100)
    OperatingFundFactory(division=luocun, year=2025, amount_fen=MIN_OPERATING_FUND_FEN)
    OperatingFundFactory(division=lianhe, year=2025, amount_fen=MIN_OPERATING_FUND_FEN - 1)
    DrillFactory(plan=plan_in(w.VILLAGE, adopted_on=datetime.date(2024, 1, 1)), held_on=datetime.date(2025, 3, 1))
    plan_in(w.OTHER_VILLAGE_SAME_TOWN, adopted_on=datetime.date(2024, 1, 1))

    response = signed_in_client(world.user("town_official")).get(
        reverse("engagement:centres"), {"division": w.TOWN, "year": "2025"}
    )

    rows = {row["code"]: row for row in response.context["rows"]}
    assert (rows[w.VILLAGE]["meets_area"], rows[w.VILLAGE]["meets_service_share"]) == (True, True)
    assert (rows[lianhe.code]["meets_area"], rows[lianhe.code]["meets_service_share"]) == (False, False)
    assert rows[w.VILLAGE]["meets_minimum"] and not rows[lianhe.code]["meets_minimum"]
    assert rows[lianhe.code]["topup_text"] == "0.01"
    assert rows[w.VILLAGE]["drill_drills"] == 1 and rows[w.VILLAGE]["drill_plans_due"] == 0
    assert rows[lianhe.code]["drill_plans_due"] == 1
    assert not rows[THIRD_VILLAGE]["centre"] and not rows[THIRD_VILLAGE]["drill_plans"]
    assert response.context["totals"] == {
        "villages": 3,
        "meets_area": 1,
        "meets_service_share": 1,
        "meets_minimum": 1,
        "plans_due": 1,
        "without_plan": 1,
    }


def test_a_bad_year_on_the_table_is_the_forms_error_and_this_year_is_shown(world):
    response = signed_in_client(world.user("town_official")).get(reverse("engagement:centres"), {"year": "明年"})
    assert response.status_code == 200 and response.context["form"].errors["year"]
    assert response.context["year"] == clock.today().year


# --- home, navigation, dashboard ------------------------------------------------------------------


def test_the_home_page_counts_the_plans_due_a_drill_for_who_keeps_the_villages_records(world):
    plan_in(w.VILLAGE)
    plan_in(w.VILLAGE, adopted_on=clock.today() - datetime.timedelta(days=365))  # not due yet
    DrillFactory(plan=plan_in(w.VILLAGE), held_on=clock.today() - datetime.timedelta(days=10))
    plan_in(w.OTHER_VILLAGE_SAME_TOWN)

    clerk = signed_in_client(world.user("village_clerk")).get(reverse("home"))
    admin = signed_in_client(world.user("district_admin")).get(reverse("home"))
    official = signed_in_client(world.user("town_official")).get(reverse("home"))

    assert clerk.context["pending_counts"]["engagement_plans_due_a_drill"] == 1
    assert "1 个应急预案一年内未演练。" in clerk.text
    assert reverse("engagement:centres_plans_due") in clerk.text
    assert admin.context["pending_counts"]["engagement_plans_due_a_drill"] == 2
    assert not official.context["pending_counts"].get("engagement_plans_due_a_drill")


def test_the_navigation_shows_the_centres_pages_to_who_views_them(world):
    for who in ROLES:
        text = signed_in_client(world.user(who)).get(reverse("home")).text
        assert (reverse("engagement:centres") in text) is (who in VIEWERS), who


def test_the_dashboard_panel_counts_each_target_per_village_with_its_chart(world):
    year = clock.today().year
    ServiceCentreFactory(division=division(w.VILLAGE), area_m2="30.0", service_area_m2="21.0", households_served=100)
    ServiceCentreFactory(
        division=division(w.OTHER_VILLAGE_SAME_TOWN), area_m2="10.0", service_area_m2="5.0", households_served=100
    )
    OperatingFundFactory(division=division(w.VILLAGE), year=year, amount_fen=MIN_OPERATING_FUND_FEN)
    plan_in(w.VILLAGE)

    response = signed_in_client(world.user("town_official")).get(
        reverse("engagement:dashboard"), {"division": w.TOWN, "period": str(year)}
    )

    panel = next(panel for panel in response.context["panels"] if panel["key"] == "centres")
    rows = {row["code"]: row for row in panel["rows"]}
    assert (rows[w.VILLAGE]["meets_area"], rows[w.VILLAGE]["funds_below"], rows[w.VILLAGE]["plans_due"]) == (1, 0, 1)
    assert (rows[w.OTHER_VILLAGE_SAME_TOWN]["meets_area"], rows[w.OTHER_VILLAGE_SAME_TOWN]["funds_below"]) == (0, 1)
    assert rows[w.OTHER_VILLAGE_SAME_TOWN]["without_plan"] == 1
    chart = next(chart for chart in response.context["charts"] if chart["id"] == "chart-centres-area")
    assert chart["target"] == 100 and chart["values"][chart["names"].index("罗村村委会")] == 100.0
    assert 'id="panel-centres"' in response.text and 'id="chart-centres-area"' in response.text


def test_the_district_panel_rolls_the_villages_up_per_town(world):
    ServiceCentreFactory(division=division(w.VILLAGE), area_m2="30.0", service_area_m2="21.0", households_served=100)
    ServiceCentreFactory(division=division(w.OTHER_TOWN_VILLAGE), area_m2="1.0", service_area_m2="1.0")
    division(w.OTHER_VILLAGE_SAME_TOWN)

    response = signed_in_client(world.user("district_admin")).get(
        reverse("engagement:dashboard"), {"division": w.DISTRICT}
    )

    panel = next(panel for panel in response.context["panels"] if panel["key"] == "centres")
    rows = {row["code"]: row for row in panel["rows"]}
    assert (rows[w.TOWN]["villages"], rows[w.TOWN]["meets_area"], rows[w.TOWN]["area_share"]) == (2, 1, 50.0)
    assert (rows[w.OTHER_TOWN]["villages"], rows[w.OTHER_TOWN]["meets_area"]) == (1, 0)


# --- pinned query counts -------------------------------------------------------------------------


def everything_in(code: str) -> None:
    village = division(code)
    ServiceCentreFactory(division=village)
    OperatingFundFactory(division=village, year=clock.today().year)
    made = plan_in(code)
    DrillFactory(plan=made, held_on=clock.today() - datetime.timedelta(days=400))


@pytest.mark.parametrize(
    ("who", "name", "pinned"),
    [
        ("town_official", "engagement:centres", 10),
        ("district_admin", "engagement:centres_plans_due", 4),
        ("town_official", "engagement:dashboard", None),
    ],
)
def test_a_page_costs_the_same_queries_for_one_village_as_for_many(world, who, name, pinned):
    client = signed_in_client(world.user(who))
    everything_in(w.VILLAGE)
    one = queries_for(client, reverse(name))
    for number in range(3, 9):
        everything_in(f"{w.TOWN}{number:03d}")

    assert queries_for(client, reverse(name)) == one
    if pinned is not None:
        assert one == pinned


def test_the_village_page_costs_fixed_queries_whatever_its_plans_and_drills(world):
    client = signed_in_client(world.user("town_official"))
    everything_in(w.VILLAGE)
    url = reverse("engagement:centres_village", args=[w.VILLAGE])
    one = queries_for(client, url)
    for _ in range(4):
        made = plan_in(w.VILLAGE)
        DrillFactory(plan=made)
        DrillFactory(plan=made, held_on=datetime.date(2026, 1, 2))

    assert queries_for(client, url) == one == 8


def test_the_home_pages_count_costs_one_query_for_a_clerk_and_none_for_an_official(world):
    from governance.registry import registry

    plan_in(w.VILLAGE)

    def home_cost(who) -> int:
        client = signed_in_client(world.user(who))
        with_count = queries_for(client, reverse("home"))
        saved = registry.pending_work.pop("engagement_plans_due_a_drill")
        try:
            return with_count - queries_for(client, reverse("home"))
        finally:
            registry.pending_work["engagement_plans_due_a_drill"] = saved

    assert home_cost("village_clerk") == 1
    assert home_cost("town_official") == 0
