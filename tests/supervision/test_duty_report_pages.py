"""The duty report grid (述职评议, supervision/pages/duty_reports.py): the villages or cooperatives
where the visitor records evaluations, their votes for a period saved all or nothing with each
bad row's errors in it, and the score the indicator duty_report gives the stored votes."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from governance import clock
from governance.guards import NOT_PERMITTED_HERE
from governance.testing import world as w
from governance.testing.fixtures import OUTSIDER
from governance.testing.pages import ROLES, audit_events, queries_for, signed_in_client
from supervision.choices import MAX_VOTES
from supervision.models import DutyReportEvaluation, duty_report_score
from supervision.services.actions import RowErrors
from supervision.services.duty_reports import record_duty_report, record_duty_reports
from supervision.services.indicators import DUTY_REPORT
from supervision.testing.factories import scheme
from villages.testing.factories import division

pytestmark = pytest.mark.django_db

URL = reverse("supervision:duty_reports")
PERIOD = "2026"
RECORDERS = {"district_admin", "town_official"}
# A cooperative's duty report is evaluated by its village party organisation, recorded by the
# village clerk (Nanhai task 09): the clerk's grid is of the cooperatives of their village.
COOPERATIVE_RECORDERS = {"village_clerk"}
COOPERATIVES = (w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE)
# Villages of the world, and who records for each (by jurisdiction).
VILLAGES = (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE)


def grid_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"period": PERIOD, **params}.items())
    return f"{URL}?{query}"


def votes(code: str, satisfied="", basically="", dissatisfied="") -> dict:
    return {
        f"satisfied-{code}": satisfied,
        f"basically_satisfied-{code}": basically,
        f"dissatisfied-{code}": dissatisfied,
    }


def stored(code: str, period: str = PERIOD):
    return DutyReportEvaluation.objects.filter(unit_id=code, period=period).first()


def client_of(who: str):
    return signed_in_client(get_user_model().objects.get(username=who))


def record(world, code: str, satisfied: int, basically: int = 0, dissatisfied: int = 0, period: str = PERIOD):
    return record_duty_report(
        division(code),
        acting_user=world.user("district_admin"),
        period=period,
        satisfied=satisfied,
        basically_satisfied=basically,
        dissatisfied=dissatisfied,
    )


# --- who gets the grid ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_each_role_gets_the_grid_of_the_villages_of_its_jurisdiction_or_a_403(world, who):
    response = client_of(who).get(grid_url())

    if who in COOPERATIVE_RECORDERS:
        # No village of theirs to record: the clerk records for the village party organisation.
        assert response.status_code == 200
        assert not {code for code in VILLAGES if f'id="row-{code}"' in response.text}
        return
    if who not in RECORDERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = {code for code in VILLAGES if f'id="row-{code}"' in response.text}
    expected = {
        "district_admin": {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE},
        "town_official": {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN},
    }
    assert listed == expected[who]


@pytest.mark.parametrize("who", [*ROLES, OUTSIDER])
def test_only_a_recorder_saves_votes_and_only_for_a_village_of_its_grid(world, who):
    events_before = audit_events()
    data = {**votes(w.VILLAGE, 30, 8, 2), **votes(w.OTHER_TOWN_VILLAGE, 9, 0, 0), **votes(w.FAR_VILLAGE, 9, 0, 0)}

    response = client_of(who).post(grid_url(), data)

    if who in COOPERATIVE_RECORDERS:
        # No village is in the clerk's grid: nothing posted for one is saved.
        assert response.status_code == 400
        assert audit_events() == events_before
        assert not DutyReportEvaluation.objects.exists()
        return
    if who not in RECORDERS:
        assert response.status_code == 403
        assert audit_events() == events_before
        assert not DutyReportEvaluation.objects.exists()
        return
    assert response.status_code == 302
    assert (stored(w.VILLAGE).satisfied, stored(w.VILLAGE).recorded_by.username) == (30, who)
    # What lies outside the grid is not in it to be saved, whatever is posted.
    assert stored(w.FAR_VILLAGE) is None
    assert (stored(w.OTHER_TOWN_VILLAGE) is not None) is (who == "district_admin")


def test_an_outsider_gets_a_403_and_sees_no_unit(world):
    record(world, w.VILLAGE, 3)

    response = client_of(OUTSIDER).get(grid_url())

    assert response.status_code == 403
    assert w.VILLAGE not in response.text


def test_an_anonymous_visitor_is_sent_to_sign_in_and_saves_nothing(world, client):
    response = client.post(grid_url(), votes(w.VILLAGE, 1))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not DutyReportEvaluation.objects.exists()


def test_the_grid_is_in_the_supervision_drop_down_for_recorders_only(world):
    official = client_of("town_official").get(reverse("home")).text
    clerk = client_of("village_clerk").get(reverse("home")).text
    reader = client_of("report_reader").get(reverse("home")).text

    assert URL in official
    assert URL in clerk
    assert URL not in reader


# --- the grid ------------------------------------------------------------------------------------


def test_the_grid_shows_the_stored_votes_and_the_indicators_score_of_each_village(world):
    record(world, w.VILLAGE, 1, 1, 1)  # 160 / 3 = 53.333…
    record(world, w.OTHER_VILLAGE_SAME_TOWN, 5, 0, 0, period="2025")  # another period

    response = client_of("town_official").get(grid_url())

    rows = {row.unit.code: row for row in response.context["rows"]}
    assert [cell.value for cell in rows[w.VILLAGE].cells] == ["1", "1", "1"]
    assert rows[w.VILLAGE].evaluation.score == Decimal("53.33")
    assert rows[w.OTHER_VILLAGE_SAME_TOWN].evaluation is None
    assert "53.33" in response.text


def test_by_default_the_grid_is_of_the_villages_for_the_current_year(world):

    response = client_of("town_official").get(URL)

    assert response.status_code == 200
    assert response.context["grid"].period == str(clock.today().year)
    assert response.context["grid"].level == "village"


def test_the_cooperative_grid_lists_the_cooperatives_of_the_clerks_village(world):
    response = client_of("village_clerk").get(grid_url(level="cooperative"))

    codes = {row.unit.code for row in response.context["rows"]}
    assert {w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE} <= codes
    assert all(code.startswith(w.VILLAGE) for code in codes)
    assert not codes & set(VILLAGES)


def test_by_default_the_clerks_grid_is_of_the_cooperatives(world):
    response = client_of("village_clerk").get(URL)

    assert response.context["grid"].level == "cooperative"
    assert {row.unit.code for row in response.context["rows"]} >= set(COOPERATIVES)


def test_the_village_clerk_saves_the_cooperatives_evaluation_for_the_village_party_organisation(world):
    response = client_of("village_clerk").post(grid_url(level="cooperative"), votes(w.COOPERATIVE, "7", "2", "1"))

    assert response.status_code == 302
    evaluation = stored(w.COOPERATIVE)
    assert (evaluation.satisfied, evaluation.recorded_by.username) == (7, "village_clerk")
    assert evaluation.evaluated_by_body == "village_party_organisation"


def test_the_towns_cooperative_grid_is_empty_and_saves_nothing(world):
    official = client_of("town_official")

    shown = official.get(grid_url(level="cooperative"))
    response = official.post(grid_url(level="cooperative"), votes(w.COOPERATIVE, "7"))

    assert shown.status_code == 200 and shown.context["rows"] == []
    assert response.status_code == 400
    assert stored(w.COOPERATIVE) is None


def test_a_division_narrows_the_grid_to_its_units(world):
    response = client_of("district_admin").get(grid_url(division=w.TOWN))

    assert {row.unit.code for row in response.context["rows"]} == {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN}


def test_a_bad_period_or_level_is_a_field_error_and_no_grid(world):
    bad_period = client_of("town_official").get(grid_url(period="2026-X1"))
    bad_level = client_of("town_official").get(grid_url(level="town"))
    out_of_scope = client_of("town_official").get(grid_url(division=w.OTHER_TOWN))

    for response in (bad_period, bad_level, out_of_scope):
        assert response.status_code == 200
        assert response.context["rows"] == []
        assert 'id="duty-report-grid"' not in response.text
    assert bad_period.context["form"].errors["period"] == ["期间格式应为 2026、2026-H1、2026-Q3 或 2026-05。"]
    assert "division" in out_of_scope.context["form"].errors


# Session, user, grants, the units' count and page, and their stored votes.
PINNED_QUERIES = 6


def test_the_grid_costs_the_same_queries_for_two_villages_and_for_seven(world):
    official = client_of("town_official")
    record(world, w.VILLAGE, 3)
    two = queries_for(official, grid_url())
    for number in range(3, 8):
        code = f"{w.TOWN}{number:03d}"
        division(code)
        record(world, code, number)

    official = client_of("town_official")
    seven = queries_for(official, grid_url())

    assert len(official.get(grid_url()).context["rows"]) == 7
    assert two == seven == PINNED_QUERIES


# --- saving --------------------------------------------------------------------------------------


def test_saving_records_every_filled_row_and_leaves_a_blank_row_as_it_is(world):
    record(world, w.OTHER_VILLAGE_SAME_TOWN, 4, 4, 4)

    official = client_of("town_official")
    response = official.post(grid_url(), {**votes(w.VILLAGE, "30", "8", ""), **votes(w.OTHER_VILLAGE_SAME_TOWN)})

    assert response.status_code == 302 and response.url == grid_url()
    village = stored(w.VILLAGE)
    assert (village.satisfied, village.basically_satisfied, village.dissatisfied) == (30, 8, 0)
    assert stored(w.OTHER_VILLAGE_SAME_TOWN).satisfied == 4
    page = official.get(response.url)
    assert "已保存 1 个单位的述职评议。" in page.text
    assert "91.58" in page.text  # (30 × 100 + 8 × 60) / 38 = 91.578…


def test_a_bad_row_saves_nothing_and_its_errors_are_shown_in_it(world):
    record(world, w.OTHER_VILLAGE_SAME_TOWN, 4, 4, 4)

    response = client_of("town_official").post(
        grid_url(), {**votes(w.VILLAGE, "30", "-1", "abc"), **votes(w.OTHER_VILLAGE_SAME_TOWN, "9", "9", "9")}
    )

    assert response.status_code == 400
    assert stored(w.VILLAGE) is None
    assert stored(w.OTHER_VILLAGE_SAME_TOWN).satisfied == 4  # the good row is not saved either
    rows = {row.unit.code: row for row in response.context["rows"]}
    bad = {cell.field: cell for cell in rows[w.VILLAGE].cells}
    assert bad["basically_satisfied"].errors == ["票数应为非负整数。"]
    assert bad["dissatisfied"].errors == ["票数应为非负整数。"]
    assert bad["satisfied"].errors == [] and bad["satisfied"].value == "30"
    assert rows[w.OTHER_VILLAGE_SAME_TOWN].errors == []
    assert [cell.value for cell in rows[w.OTHER_VILLAGE_SAME_TOWN].cells] == ["9", "9", "9"]  # kept as typed
    assert "有 1 个单位的票数有误，均未保存，请改正后再提交。" in response.text


def test_a_row_of_zeros_or_too_many_votes_is_a_row_error(world):
    response = client_of("town_official").post(
        grid_url(), {**votes(w.VILLAGE, "0", "0", "0"), **votes(w.OTHER_VILLAGE_SAME_TOWN, str(MAX_VOTES + 1))}
    )

    assert response.status_code == 400
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert rows[w.VILLAGE].errors == ["请至少填写一张票。"]
    assert rows[w.OTHER_VILLAGE_SAME_TOWN].errors == [f"票数不能超过 {MAX_VOTES}。"]
    assert not DutyReportEvaluation.objects.exists()


def test_nothing_filled_in_is_an_error_not_a_save(world):
    response = client_of("town_official").post(grid_url(), votes(w.VILLAGE))

    assert response.status_code == 400
    assert "请至少填写一个单位的票数。" in response.text


def test_full_width_digits_are_counts(world):
    client_of("town_official").post(grid_url(), votes(w.VILLAGE, "１２", "３", "０"))

    assert stored(w.VILLAGE).satisfied == 12


# --- the service and the score -------------------------------------------------------------------


def test_record_duty_reports_saves_all_or_nothing_naming_each_bad_row_by_its_index(world):
    official = world.user("town_official")
    good = {"unit": division(w.VILLAGE), "satisfied": 5, "basically_satisfied": 0, "dissatisfied": 0}
    elsewhere = {"unit": division(w.OTHER_TOWN_VILLAGE), "satisfied": 5, "basically_satisfied": 0, "dissatisfied": 0}
    a_town = {"unit": division(w.TOWN), "satisfied": 5, "basically_satisfied": 0, "dissatisfied": 0}

    with pytest.raises(RowErrors) as refused:
        record_duty_reports([good, elsewhere, a_town], acting_user=official, period=PERIOD)

    assert refused.value.errors == {
        1: {"unit": [str(NOT_PERMITTED_HERE)]},
        2: {"unit": ["述职评议的对象应为村（社区）或经济社。"]},
    }
    assert not DutyReportEvaluation.objects.exists()
    with pytest.raises(ValidationError) as bad_period:
        record_duty_reports([good], acting_user=official, period="26")
    assert "period" in bad_period.value.message_dict
    (saved,) = record_duty_reports([good], acting_user=official, period=PERIOD)
    assert saved == stored(w.VILLAGE)


VOTES = [(1, 1, 1), (1, 0, 7), (1, 0, 799), (3, 1, 0), (0, 0, 5), (2, 1, 0), (0, 1, 0), (7, 3, 13)]


def test_the_pages_score_is_the_one_the_indicators_sql_computes(world):
    codes = []
    for number, (satisfied, basically, dissatisfied) in enumerate(VOTES, start=3):
        code = f"{w.TOWN}{number:03d}"
        division(code)
        record(world, code, satisfied, basically, dissatisfied)
        codes.append(code)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH units AS (SELECT unnest(%(codes)s::text[]) AS code) {DUTY_REPORT.sql}",
            {"codes": codes, "period": PERIOD, "day": None, "start": None},
        )
        computed = dict(cursor.fetchall())

    assert {code: stored(code).score for code in codes} == computed
    assert duty_report_score(1, 0, 799) == Decimal("0.13")  # 0.125, half up
    assert duty_report_score(0, 0, 0) == 0


def test_the_score_entry_page_links_to_the_grid_of_its_level_and_period(world):
    made = scheme(w.TOWN, period="2025")

    text = client_of("town_official").get(reverse("supervision:entries", args=[made.pk])).text

    assert f"{URL}?level=village&period=2025" in text


def test_the_score_entry_page_of_a_cooperative_scheme_says_the_village_records_the_evaluations(world):
    made = scheme(w.TOWN, period="2025", level="cooperative")

    text = client_of("town_official").get(reverse("supervision:entries", args=[made.pk])).text

    assert 'id="duty-reports-note"' in text
    assert f"{URL}?level=cooperative" not in text


def test_a_page_of_rows_is_saved_alone_and_keeps_its_page(world, monkeypatch):
    monkeypatch.setattr("supervision.pages.unit_grid.ROWS_PER_PAGE", 1)
    url = grid_url(page=2)
    official = client_of("town_official")

    shown = official.get(url)
    response = official.post(url, {**votes(w.VILLAGE, "5"), **votes(w.OTHER_VILLAGE_SAME_TOWN, "6")})

    assert [row.unit.code for row in shown.context["rows"]] == [w.OTHER_VILLAGE_SAME_TOWN]
    assert response.status_code == 302 and response.url == url
    assert stored(w.VILLAGE) is None  # on page 1, not saved from page 2
    assert stored(w.OTHER_VILLAGE_SAME_TOWN).satisfied == 6
