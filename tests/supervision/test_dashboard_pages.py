"""The assessment pages (issue 9 point 7): a unit's printable scorecard explaining every point got
and lost, the dashboard of a town or the district with its charts' data embedded as JSON, and the
remuneration page; who may open each, pinned query counts that do not grow with the units.
Results are stored by the factories (nothing is scored)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from governance.testing import world as w
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from supervision.choices import Grade, UnitLevel
from supervision.services import remuneration
from supervision.testing.factories import scheme, stored_results
from villages.choices import PositionKind
from villages.models import level_for_code
from villages.testing.factories import PositionFactory, division


def client_of(who: str):
    return signed_in_client(get_user_model().objects.get(username=who))


def unit_result(code: str, **values):
    """A scheme of the unit's town (or of the unit's district, above a town) with its stored result."""
    level = UnitLevel.COOPERATIVE if level_for_code(code) == "cooperative" else UnitLevel.VILLAGE
    made = scheme(code[:9], indicators=(("work", 70, "entered"), ("reserve", 30, "reserve_cadres")), level=level)
    stored_results(made, {code: values.get("row", (63, Grade.PASS, 2, {"work": 90, "reserve": 0}, []))})
    return made


class TestScorecardAccess(PageAccessTests):
    viewers = {"district_admin", "town_official", "village_clerk", "coop_clerk", "inspector", "report_reader"}

    def make_object(self, code):
        return (unit_result(code), code)

    def url(self, obj):
        made, code = obj
        return reverse("supervision:scorecard", args=[made.pk, code])


def test_a_scorecard_explains_every_point_got_and_lost_and_is_printable_on_a4(world):
    made = scheme(w.TOWN, indicators=(("work", 70, "entered"), ("reserve", 30, "reserve_cadres")))
    stored_results(made, {w.VILLAGE: (63, Grade.PASS, 2, {"work": 90, "reserve": 0}, ["work"])})

    response = client_of("village_clerk").get(reverse("supervision:scorecard", args=[made.pk, w.VILLAGE]))

    assert response.status_code == 200
    text = response.text
    assert "@page { size: A4" in text and "@media print" in text
    # work: 70 × 90 / 100 = 63 got, 7 lost; reserve: 0 got, 30 lost (computed by the portal).
    assert '<td class="text-end">63.00</td>' in text and '<td class="text-end">7.00</td>' in text
    assert '<td class="text-end">30.00</td>' in text and "后备干部配备" in text
    assert "未录入，按 0 分计" in text
    assert '<dd class="col-8 col-md-4" id="lost">37.00</dd>' in text


def test_a_unit_that_reached_excellent_but_fell_outside_the_quota_is_told_so(world):
    made = scheme(w.TOWN, excellent_share=0)
    stored_results(made, {w.VILLAGE: (95, Grade.GOOD, 1, {"work": 95}, [])})

    response = client_of("town_official").get(reverse("supervision:scorecard", args=[made.pk, w.VILLAGE]))

    assert "优秀名额" in response.text


def charts_of(response) -> dict:
    marker = '<script id="dashboard-charts" type="application/json">'
    start = response.text.index(marker) + len(marker)
    return json.loads(response.text[start : response.text.index("</script>", start)])


def test_the_dashboard_embeds_grades_per_town_the_trend_over_periods_and_the_weakest_indicators(world):
    earlier = scheme(w.DISTRICT, period="2024")
    stored_results(earlier, {w.VILLAGE: (50, Grade.FAIL, 1, {"work": 50}, [])})
    latest = scheme(w.DISTRICT, period="2025")
    stored_results(
        latest,
        {
            w.VILLAGE: (90, Grade.EXCELLENT, 1, {"work": 90}, []),
            w.OTHER_VILLAGE_SAME_TOWN: (70, Grade.PASS, 2, {"work": 70}, []),
            w.OTHER_TOWN_VILLAGE: (80, Grade.GOOD, 1, {"work": 80}, []),
        },
    )

    response = client_of("district_admin").get(reverse("supervision:dashboard"), {"division": w.DISTRICT})

    assert response.status_code == 200
    assert "vendor/echarts/echarts.min.js" in response.text
    charts = charts_of(response)
    assert charts["grades"]["categories"] == ["九江镇", "狮山镇"]
    excellent = next(series for series in charts["grades"]["series"] if series["name"] == "优秀")
    assert excellent["data"] == [0, 1]
    assert charts["trend"]["periods"] == ["2024", "2025"] and charts["trend"]["average"] == [50.0, 80.0]
    assert charts["weakest"]["lost"] == [20.0]
    assert reverse("supervision:scorecard", args=[latest.pk, w.OTHER_TOWN_VILLAGE]) in response.text


def test_a_town_officials_dashboard_shows_their_towns_villages_only(world):
    made = scheme(w.DISTRICT)
    stored_results(
        made, {w.VILLAGE: (90, Grade.EXCELLENT, 1, {}, []), w.OTHER_TOWN_VILLAGE: (80, Grade.GOOD, 1, {}, [])}
    )

    response = client_of("town_official").get(reverse("supervision:dashboard"))

    assert response.status_code == 200
    assert charts_of(response)["grades"]["units"] == [["罗村村委会"], [], [], []]
    assert w.OTHER_TOWN_VILLAGE not in response.text


def test_a_towns_grade_chart_counts_the_villages_per_grade_and_names_them(world):
    made = scheme(w.TOWN)
    stored_results(
        made,
        {
            w.VILLAGE: (90, Grade.EXCELLENT, 1, {"work": 90}, []),
            w.OTHER_VILLAGE_SAME_TOWN: (70, Grade.PASS, 2, {"work": 70}, []),
        },
    )

    response = client_of("town_official").get(reverse("supervision:dashboard"), {"division": w.TOWN})

    grades = charts_of(response)["grades"]
    assert grades["by"] == "grade"
    assert grades["categories"] == ["优秀", "良好", "合格", "不合格"]
    assert grades["series"] == [{"name": "考核对象数", "data": [1, 0, 1, 0]}]
    assert grades["units"] == [["罗村村委会"], [], ["联和村委会"], []]
    table = response.text[response.text.index('id="grade-units"') :]
    assert '<th scope="row">合格</th><td class="text-end">1</td><td>联和村委会</td>' in table


def test_the_districts_grade_chart_keeps_a_stacked_bar_per_town_and_no_grade_table(world):
    made = scheme(w.DISTRICT)
    stored_results(
        made, {w.VILLAGE: (90, Grade.EXCELLENT, 1, {}, []), w.OTHER_TOWN_VILLAGE: (80, Grade.GOOD, 1, {}, [])}
    )

    response = client_of("district_admin").get(reverse("supervision:dashboard"), {"division": w.DISTRICT})

    grades = charts_of(response)["grades"]
    assert grades["by"] == "unit" and "units" not in grades
    assert [series["name"] for series in grades["series"]] == ["优秀", "良好", "合格", "不合格"]
    assert 'id="grade-units"' not in response.text


@pytest.mark.parametrize(
    "who, division_code, status",
    [
        ("district_admin", w.FAR_DISTRICT, 404),
        ("town_official", w.OTHER_TOWN, 404),
        ("village_clerk", w.VILLAGE, 200),
        ("village_clerk", w.OTHER_VILLAGE_SAME_TOWN, 404),
        ("outsider", w.VILLAGE, 404),
    ],
)
def test_the_dashboard_of_a_division_outside_the_jurisdiction_is_404(world, who, division_code, status):
    response = client_of(who).get(reverse("supervision:dashboard"), {"division": division_code})

    assert response.status_code == status


def test_the_dashboard_sends_the_anonymous_visitor_to_sign_in(world):
    response = signed_in_client(None).get(reverse("supervision:dashboard"))

    assert response.status_code == 302 and reverse("login") in response.url


def test_the_dashboard_costs_the_same_queries_for_one_unit_as_for_several(world):
    made = scheme(w.TOWN)
    stored_results(made, {w.VILLAGE: (90, Grade.EXCELLENT, 1, {"work": 90}, [])})
    url = f"{reverse('supervision:dashboard')}?division={w.TOWN}&scheme={made.pk}"
    few = queries_for(client_of("town_official"), url)
    other = scheme(w.TOWN)
    units = [division(f"{w.TOWN}{n:03d}").code for n in range(1, 9)]
    stored_results(other, {unit: (70, Grade.PASS, 1, {"work": 70}, []) for unit in units})

    many = queries_for(
        client_of("town_official"), f"{reverse('supervision:dashboard')}?division={w.TOWN}&scheme={other.pk}"
    )

    assert few == many


def test_the_scorecard_costs_a_fixed_number_of_queries(world):
    made = unit_result(w.VILLAGE)

    assert queries_for(client_of("village_clerk"), reverse("supervision:scorecard", args=[made.pk, w.VILLAGE])) <= 12


# --- the remuneration page -------------------------------------------------------------------------


@pytest.fixture
def paid(world):
    remuneration.save_rule(
        acting_user=world.user("district_admin"),
        division=division(w.TOWN),
        period="2025",
        bases={PositionKind.PARTY_SECRETARY: 3_600_000},
        performance={Grade.GOOD: 800_000},
    )
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY)
    made = scheme(w.TOWN)
    stored_results(made, {w.VILLAGE: (85, Grade.GOOD, 1, {"work": 85}, [])})
    return made


@pytest.mark.parametrize(
    "who, status",
    [
        ("district_admin", 200),
        ("town_official", 200),
        ("inspector", 200),
        ("village_clerk", 403),
        ("report_reader", 403),
        ("outsider", 404),
    ],
)
def test_the_remuneration_page_is_for_who_reads_remuneration(paid, who, status):
    response = client_of(who).get(reverse("supervision:remuneration", args=[paid.pk]))

    assert response.status_code == status


def test_the_remuneration_page_shows_each_part_with_its_reason_and_links_the_xlsx(paid):
    response = client_of("town_official").get(reverse("supervision:remuneration", args=[paid.pk]))

    text = response.text
    assert "+36,000.00" in text and "+8,000.00" in text and "党组织书记的基本报酬" in text
    assert '<th class="text-end" id="total">44,000.00</th>' in text
    assert "format=xlsx" in text


def test_the_remuneration_page_costs_the_same_queries_for_one_unit_as_for_several(paid, world):
    few = queries_for(client_of("town_official"), reverse("supervision:remuneration", args=[paid.pk]))
    other = scheme(w.TOWN)
    units = [division(f"{w.TOWN}{n:03d}").code for n in range(1, 7)]
    for unit in units[1:]:
        PositionFactory(division=division(unit), kind=PositionKind.PARTY_SECRETARY)
    stored_results(other, {unit: (85, Grade.GOOD, 1, {}, []) for unit in units})

    many = queries_for(client_of("town_official"), reverse("supervision:remuneration", args=[other.pk]))

    assert few == many


# --- the rule's form ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, code, status",
    [
        ("town_official", w.TOWN, 200),
        ("district_admin", w.DISTRICT, 200),
        ("inspector", w.TOWN, 403),
        ("town_official", w.OTHER_TOWN, 404),
        ("village_clerk", w.TOWN, 404),
    ],
)
def test_the_rule_form_opens_to_who_may_set_a_rule_there(world, who, code, status):
    response = client_of(who).get(reverse("supervision:remuneration_rule", args=[code]))

    assert response.status_code == status


def test_the_rule_form_saves_the_amounts_in_fen_through_the_service(world):
    from supervision.models import RemunerationRule

    data = {
        "period": "2025",
        f"base_{PositionKind.PARTY_SECRETARY}": "36000",
        f"performance_{Grade.EXCELLENT}": "12000.50",
        "bonus_threshold": "100000",
        "bonus_percent": "5",
        "bonus_cap": "",
    }

    response = client_of("town_official").post(reverse("supervision:remuneration_rule", args=[w.TOWN]), data)

    assert response.status_code == 302
    rule = RemunerationRule.objects.get(division_id=w.TOWN, period="2025")
    assert list(rule.bases.values_list("post_kind", "amount_fen")) == [(PositionKind.PARTY_SECRETARY, 3_600_000)]
    assert list(rule.performance.values_list("grade", "amount_fen")) == [(Grade.EXCELLENT, 1_200_050)]
    assert (rule.bonus_threshold_fen, rule.bonus_percent, rule.bonus_cap_fen) == (10_000_000, 5, None)


def test_a_rule_without_any_base_is_refused_on_the_form_with_the_services_message(world):
    response = client_of("town_official").post(
        reverse("supervision:remuneration_rule", args=[w.TOWN]), {"period": "2025"}
    )

    assert response.status_code == 200
    assert "请按职务填写基本报酬" in response.text


def test_the_remuneration_page_offers_the_rule_form_to_who_may_set_it(paid):
    official = client_of("town_official").get(reverse("supervision:remuneration", args=[paid.pk]))
    inspector = client_of("inspector").get(reverse("supervision:remuneration", args=[paid.pk]))

    assert reverse("supervision:remuneration_rule", args=[w.TOWN]) in official.text
    assert 'id="rule-link"' not in inspector.text


def test_the_district_dashboard_prefers_the_districts_scheme_of_a_period_over_a_towns(world):
    district = scheme(w.DISTRICT, period="2025")
    stored_results(
        district, {w.VILLAGE: (90, Grade.EXCELLENT, 1, {}, []), w.OTHER_TOWN_VILLAGE: (80, "good", 1, {}, [])}
    )
    town = scheme(w.TOWN, period="2025")  # newer, but it assesses one town only
    stored_results(town, {w.VILLAGE: (50, Grade.FAIL, 1, {}, [])})

    response = client_of("district_admin").get(reverse("supervision:dashboard"), {"division": w.DISTRICT})

    assert response.context["scheme"] == district
    assert charts_of(response)["trend"]["average"] == [85.0]
