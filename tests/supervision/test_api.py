"""The assessment API (DESIGN.md section 7): the access matrix of every endpoint for every role
inside and outside its jurisdiction, the outsider and the anonymous caller; the contract's shapes
(201 with id, 400 naming each bad row, 202 for runs, 409 when frozen, results one row per unit);
and pinned query counts that do not grow with the rows."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.testing import world as w
from governance.testing.api import ANONYMOUS, CALLERS, OUTSIDER, client_as, queries_and_rows, results_of
from supervision.choices import Cadence, Grade
from supervision.models import Scheme
from supervision.services import scoring as services
from supervision.testing.factories import DisclosureFactory, DisclosureItemFactory, enter, scheme, stored_results
from villages.models import Division
from villages.testing.factories import division

D = datetime.date

# Schemes each caller may open, by the division they lie in: their own subtree's, and those above
# them whose results they read (SchemeQuerySet.readable_by).
READABLE_SCHEMES = {
    "district_admin": {w.TOWN, w.OTHER_TOWN, w.DISTRICT},
    "town_official": {w.TOWN, w.DISTRICT},
    "village_clerk": {w.TOWN, w.DISTRICT},
    # These schemes assess villages: none has a result of a cooperative, so a cooperative's clerk
    # reads none of them (it read them as tables of no rows, 暂无结果).
    "coop_clerk": set(),
    "grid_worker": set(),  # no grant of this app: not even the list (403, as the outsider)
    "inspector": {w.TOWN, w.OTHER_TOWN, w.DISTRICT},
    "report_reader": {w.TOWN, w.OTHER_TOWN, w.DISTRICT},
}
SCHEME_PLACES = (w.TOWN, w.OTHER_TOWN, w.DISTRICT, w.FAR_DISTRICT)
# Who scores, freezes and creates schemes where they lie; who enters scores for the town's units.
SCHEME_MANAGERS = {"district_admin": (w.TOWN, w.OTHER_TOWN, w.DISTRICT), "town_official": (w.TOWN,)}
ENTERERS = {"district_admin", "town_official"}


@pytest.fixture
def schemes(world):
    return {code: scheme(code, period="2026", indicators=(("work", 100, "entered"),)) for code in SCHEME_PLACES}


def expected_for_one_scheme(who: str, code: str, allowed: dict | set, success: int) -> int:
    if who == ANONYMOUS:
        return 401
    if who == OUTSIDER or code not in READABLE_SCHEMES[who]:
        return 404
    if isinstance(allowed, dict):
        return success if code in allowed.get(who, ()) else 403
    return success if who in allowed else 403


def test_indicators_list_the_computed_ones_to_anyone_signed_in(world):
    assert client_as(ANONYMOUS).get(reverse("api:indicators")).status_code == 401

    response = client_as(OUTSIDER).get(reverse("api:indicators"))

    assert response.status_code == 200
    rows = {row["code"]: row for row in results_of(response)}
    assert {"reserve_cadres", "disclosures_on_time"} <= set(rows)
    assert set(rows["reserve_cadres"]) == {"code", "name", "level", "levels", "description"}
    assert (rows["reserve_cadres"]["level"], rows["reserve_cadres"]["levels"]) == ("village", ["village"])


def test_an_indicator_scoring_villages_and_cooperatives_lists_both_levels_beside_its_contract_level(world):
    rows = {row["code"]: row for row in results_of(client_as(OUTSIDER).get(reverse("api:indicators")))}

    assert (rows["sanction_deductions"]["level"], rows["sanction_deductions"]["levels"]) == (
        "village",
        ["village", "cooperative"],
    )


@pytest.mark.parametrize("who", CALLERS)
def test_the_scheme_list_shows_exactly_the_schemes_the_caller_may_open(schemes, who):
    response = client_as(who).get(reverse("api:scheme-list"), {"page_size": 1000})

    if who == ANONYMOUS:
        assert response.status_code == 401
    elif who in (OUTSIDER, "grid_worker"):
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert {row["division"] for row in results_of(response)} == READABLE_SCHEMES[who]


@pytest.mark.parametrize("code", SCHEME_PLACES)
@pytest.mark.parametrize("who", CALLERS)
def test_one_scheme_opens_for_those_who_may_read_it_and_is_hidden_from_the_others(schemes, who, code):
    response = client_as(who).get(reverse("api:scheme-detail", args=[schemes[code].pk]))

    assert response.status_code == expected_for_one_scheme(who, code, set(READABLE_SCHEMES), 200)
    if response.status_code == 200:
        assert response.json()["indicators"] == [
            {"code": "work", "name": "指标work", "weight": 100, "source": "entered"}
        ]


def scheme_data(code: str) -> dict:
    return {
        "division": code,
        "level": "village",
        "period": "2026",
        "name": "2026年度考核",
        "indicators": [
            {"code": "work", "name": "中心工作", "weight": 70, "source": "entered"},
            {"code": "reserve", "name": "后备干部", "weight": 30, "source": "reserve_cadres"},
        ],
        "grades": {"excellent": 90, "good": 80, "pass": 60},
        "excellent_share": 20,
    }


@pytest.mark.parametrize("code", [w.TOWN, w.OTHER_TOWN, w.DISTRICT])
@pytest.mark.parametrize("who", CALLERS)
def test_a_scheme_is_created_by_the_town_or_district_that_assesses(world, who, code):
    response = client_as(who).post(reverse("api:scheme-list"), scheme_data(code), format="json")

    if who == ANONYMOUS:
        expected = 401
    elif who not in SCHEME_MANAGERS:
        expected = 403
    elif code not in SCHEME_MANAGERS[who]:
        expected = 404
    else:
        expected = 201
    assert response.status_code == expected, response.content[:300]
    if expected == 201:
        assert Scheme.objects.get(pk=response.json()["id"]).division_id == code
    else:
        assert not Scheme.objects.exists()


def test_weights_not_summing_to_100_are_a_400_on_the_indicators(world):
    data = scheme_data(w.TOWN)
    data["indicators"][0]["weight"] = 69

    response = client_as("town_official").post(reverse("api:scheme-list"), data, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["indicators"]


def test_a_bad_indicator_row_is_a_400_naming_its_index(world):
    data = scheme_data(w.TOWN)
    data["indicators"][1]["source"] = "no_such_indicator"

    response = client_as("town_official").post(reverse("api:scheme-list"), data, format="json")

    assert response.status_code == 400
    assert list(response.json()["indicators"]) == ["1"]
    assert list(response.json()["indicators"]["1"]) == ["source"]


@pytest.mark.parametrize("code", SCHEME_PLACES)
@pytest.mark.parametrize("who", CALLERS)
def test_entries_are_saved_by_those_who_enter_scores_for_the_scheme_s_units(schemes, who, code):
    unit = {
        w.TOWN: w.VILLAGE,
        w.OTHER_TOWN: w.OTHER_TOWN_VILLAGE,
        w.DISTRICT: w.VILLAGE,
        w.FAR_DISTRICT: w.FAR_VILLAGE,
    }[code]
    body = {"entries": [{"unit": unit, "indicator": "work", "score": 80}]}

    response = client_as(who).post(reverse("api:scheme-entries", args=[schemes[code].pk]), body, format="json")

    enterers = {"district_admin": {w.TOWN, w.OTHER_TOWN, w.DISTRICT}, "town_official": {w.TOWN, w.DISTRICT}}
    assert response.status_code == expected_for_one_scheme(who, code, enterers, 200), response.content[:300]
    if response.status_code == 200:
        assert response.json() == {"saved": 1}


def test_a_batch_of_entries_with_bad_rows_is_a_400_naming_each_by_its_index_and_saves_nothing(schemes):
    body = {
        "entries": [
            {"unit": w.VILLAGE, "indicator": "work", "score": 80},
            {"unit": w.VILLAGE, "indicator": "work", "score": 120},
            {"unit": w.FAR_VILLAGE, "indicator": "work", "score": 50},
            {"unit": w.VILLAGE, "indicator": "other", "score": 50},
        ]
    }

    response = client_as("town_official").post(
        reverse("api:scheme-entries", args=[schemes[w.TOWN].pk]), body, format="json"
    )

    assert response.status_code == 400
    assert response.json()["entries"].keys() == {"1", "2", "3"}
    assert list(response.json()["entries"]["1"]) == ["score"]
    assert list(response.json()["entries"]["2"]) == ["unit"]
    assert list(response.json()["entries"]["3"]) == ["indicator"]
    assert not schemes[w.TOWN].entries.exists()


@pytest.mark.parametrize("code", SCHEME_PLACES)
@pytest.mark.parametrize("who", CALLERS)
def test_a_run_is_queued_with_202_by_those_who_score_the_scheme(schemes, who, code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(who).post(reverse("api:scheme-runs", args=[schemes[code].pk]))

    assert response.status_code == expected_for_one_scheme(who, code, SCHEME_MANAGERS, 202), response.content[:300]
    if response.status_code == 202:
        assert set(response.json()) == {"id", "state"}
        run = client_as(who).get(reverse("api:scoringrun-detail", args=[response.json()["id"]])).json()
        assert run["state"] == "done"
        assert run["done"] == run["total"] > 0


def scored(made, django_capture_on_commit_callbacks, who="district_admin"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(who).post(reverse("api:scheme-runs", args=[made.pk]))
    assert response.status_code == 202
    return response.json()["id"]


@pytest.mark.parametrize("who", CALLERS)
def test_a_run_s_progress_is_read_by_those_who_view_the_scheme_where_it_lies(
    schemes, who, django_capture_on_commit_callbacks
):
    run_id = scored(schemes[w.TOWN], django_capture_on_commit_callbacks)

    response = client_as(who).get(reverse("api:scoringrun-detail", args=[run_id]))

    viewers = {"district_admin", "town_official", "inspector"}
    if who == ANONYMOUS:
        expected = 401
    elif who in viewers:
        expected = 200
    else:
        expected = 404 if who == OUTSIDER or not w.TOWN.startswith(w.ROLE_HOME[who]) else 403
    assert response.status_code == expected
    if expected == 200:
        assert {"id", "state", "done", "total"} <= set(response.json())


@pytest.mark.parametrize("who", CALLERS)
def test_results_are_one_row_per_unit_read_in_the_caller_s_jurisdiction(
    schemes, who, django_capture_on_commit_callbacks
):
    made = schemes[w.TOWN]
    enter(made, w.VILLAGE, "work", 91)
    enter(made, w.OTHER_VILLAGE_SAME_TOWN, "work", 85)
    scored(made, django_capture_on_commit_callbacks)

    response = client_as(who).get(reverse("api:scheme-results", args=[made.pk]), {"page_size": 1000})

    expected = expected_for_one_scheme(who, w.TOWN, set(READABLE_SCHEMES), 200)
    assert response.status_code == expected
    if expected == 200:
        units = {row["unit"] for row in results_of(response)}
        assert units == {code for code in (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN) if code.startswith(w.ROLE_HOME[who])}


def test_a_result_row_has_the_contract_s_fields(schemes, django_capture_on_commit_callbacks):
    made = schemes[w.TOWN]
    enter(made, w.VILLAGE, "work", "91.5")
    scored(made, django_capture_on_commit_callbacks)

    response = client_as("town_official").get(reverse("api:scheme-results", args=[made.pk]), {"division": w.VILLAGE})

    (row,) = results_of(response)
    assert row == {
        "unit": w.VILLAGE,
        "name": "狮山镇 · 罗村村委会",
        "total": "91.50",
        "grade": "good",  # 2 units, 20%: no excellent
        "rank": 1,
        "scores": {"work": 91.5},
        "missing": [],
    }


@pytest.mark.parametrize("code", SCHEME_PLACES)
@pytest.mark.parametrize("who", CALLERS)
def test_a_scored_scheme_is_frozen_by_those_who_score_it(schemes, who, code, django_capture_on_commit_callbacks):
    scored(schemes[code], django_capture_on_commit_callbacks, who="admin") if False else None
    with django_capture_on_commit_callbacks(execute=True):
        services.request_run(schemes[code], acting_user=_superuser(), today=D(2026, 3, 1))

    response = client_as(who).post(reverse("api:scheme-freeze", args=[schemes[code].pk]))

    assert response.status_code == expected_for_one_scheme(who, code, SCHEME_MANAGERS, 200), response.content[:300]
    if response.status_code == 200:
        assert response.json()["frozen"] is True


def _superuser():
    from governance.testing.factories import UserFactory

    return UserFactory(is_superuser=True)


def test_a_frozen_scheme_answers_409_to_entries_runs_and_freezing(schemes, django_capture_on_commit_callbacks):
    made = schemes[w.TOWN]
    scored(made, django_capture_on_commit_callbacks)
    client = client_as("town_official")
    assert client.post(reverse("api:scheme-freeze", args=[made.pk])).status_code == 200

    entries = client.post(
        reverse("api:scheme-entries", args=[made.pk]),
        {"entries": [{"unit": w.VILLAGE, "indicator": "work", "score": 1}]},
        format="json",
    )
    runs = client.post(reverse("api:scheme-runs", args=[made.pk]))
    again = client.post(reverse("api:scheme-freeze", args=[made.pk]))

    assert (entries.status_code, runs.status_code, again.status_code) == (409, 409, 409)


def test_freezing_a_scheme_never_scored_is_a_400(schemes):
    response = client_as("town_official").post(reverse("api:scheme-freeze", args=[schemes[w.TOWN].pk]))

    assert response.status_code == 400


# --- the scores report ---------------------------------------------------------------------------


def test_the_scores_report_answers_stored_results_in_json_csv_and_xlsx(schemes, django_capture_on_commit_callbacks):
    made = schemes[w.DISTRICT]
    enter(made, w.VILLAGE, "work", 95)
    scored(made, django_capture_on_commit_callbacks)
    url = reverse("api:report-scores")
    client = client_as("town_official")

    body = client.get(url, {"scheme": made.pk, "division": w.TOWN}).json()
    csv = client.get(url, {"scheme": made.pk, "division": w.TOWN, "format": "csv"})
    xlsx = client.get(url, {"scheme": made.pk, "division": w.TOWN, "format": "xlsx"})

    assert {row["unit"] for row in body["results"]} == {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN}
    village = next(row for row in body["results"] if row["unit"] == w.VILLAGE)
    assert village["name"] == Division.objects.select_related("parent").get(code=w.VILLAGE).qualified_name
    assert " · " in village["name"] and village["grade"] in {str(grade.label) for grade in Grade}
    assert csv.status_code == 200 and w.VILLAGE in csv.content.decode("utf-8-sig")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_scores_sheet_has_a_column_per_indicator_headed_by_its_name(world):
    made = scheme(w.TOWN, period="2026", indicators=(("work", 60, "entered"), ("satisfaction", 40, "entered")))
    made.indicators.filter(code="satisfaction").update(name="群众满意度")
    stored_results(
        made,
        {
            w.VILLAGE: (91.5, Grade.EXCELLENT, 1, {"work": 95, "satisfaction": "86.25"}, []),
            w.OTHER_VILLAGE_SAME_TOWN: (57, Grade.FAIL, 2, {"work": 95}, ["satisfaction"]),
        },
    )
    url = reverse("api:report-scores")
    client = client_as("town_official")

    body = client.get(url, {"scheme": made.pk, "division": w.TOWN}).json()
    response = client.get(url, {"scheme": made.pk, "division": w.TOWN, "format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert header == (
        *("代码", "名称", "所属镇街", "镇街代码", "总分", "等次", "镇内排名"),
        *("指标work", "群众满意度", "缺少的得分"),
    )
    by_unit = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    village = by_unit[w.VILLAGE]
    assert (village["指标work"], village["群众满意度"]) == (95, 86.25)
    assert (village["所属镇街"], village["镇街代码"]) == (division(w.TOWN).name, w.TOWN)
    other = by_unit[w.OTHER_VILLAGE_SAME_TOWN]
    assert (other["群众满意度"], other["缺少的得分"]) == (None, "群众满意度")
    # The JSON is unchanged: one text of the scores, codes as stored.
    json_village = next(row for row in body["results"] if row["unit"] == w.VILLAGE)
    assert json_village["scores"] == "work: 95; satisfaction: 86.25" and json_village["town"] == w.TOWN
    assert [column["key"] for column in body["columns"]] == [
        "unit", "name", "town", "total", "grade", "rank", "scores", "missing"
    ]  # fmt: skip


def test_the_scores_report_hides_a_scheme_the_caller_may_not_read(schemes):
    response = client_as("town_official").get(
        reverse("api:report-scores"), {"scheme": schemes[w.OTHER_TOWN].pk, "division": w.TOWN}
    )

    assert response.status_code == 404


# --- disclosures ---------------------------------------------------------------------------------

DISCLOSURE_VIEWERS = {"district_admin", "town_official", "village_clerk", "inspector"}


@pytest.mark.parametrize("who", CALLERS)
def test_disclosures_are_listed_in_the_caller_s_jurisdiction_and_filed_by_village_clerks(world, who):
    items = {code: DisclosureItemFactory(division=division(code)) for code in (w.VILLAGE, w.OTHER_TOWN_VILLAGE)}
    for item in items.values():
        DisclosureFactory(item=item, period_start=D(2026, 1, 1))

    listed = client_as(who).get(reverse("api:disclosure-list"))
    filed = client_as(who).post(
        reverse("api:disclosure-list"),
        {"item": items[w.VILLAGE].pk, "period_day": "2026-02-01", "filed_on": "2026-02-09", "content": "二月"},
        format="json",
    )

    if who == ANONYMOUS:
        assert (listed.status_code, filed.status_code) == (401, 401)
        return
    if who not in DISCLOSURE_VIEWERS:
        assert listed.status_code == 403
    else:
        assert {row["division"] for row in results_of(listed)} == {
            code for code in items if code.startswith(w.ROLE_HOME[who])
        }
    assert filed.status_code == {"district_admin": 201, "village_clerk": 201}.get(who, 403), filed.content[:300]


def test_the_disclosure_list_filters_what_is_overdue_on_a_day(world):
    item = DisclosureItemFactory(division=division(w.VILLAGE), cadence=Cadence.AT_ONCE)
    DisclosureFactory(item=item, period_start=D(2026, 1, 5), filed_on=None)  # due 10 January
    DisclosureFactory(item=item, period_start=D(2026, 1, 6), filed_on=D(2026, 1, 7))

    response = client_as("village_clerk").get(reverse("api:disclosure-list"), {"overdue_on": "2026-01-11"})

    assert [row["period_start"] for row in results_of(response)] == ["2026-01-05"]


# --- query counts --------------------------------------------------------------------------------


def test_the_scheme_list_costs_the_same_queries_for_1_or_several_schemes(world):
    scheme(w.TOWN, period="2026")
    few, rows_few = queries_and_rows(client_as("district_admin"), reverse("api:scheme-list"))
    for _n in range(4):
        scheme(w.OTHER_TOWN, period="2026", indicators=(("a", 50, "entered"), ("b", 50, "reserve_cadres")))
    many, rows_many = queries_and_rows(client_as("district_admin"), reverse("api:scheme-list"))

    assert (rows_few, rows_many) == (1, 5)
    assert few == many <= 6


def test_results_cost_the_same_queries_for_1_or_several_units(world, django_capture_on_commit_callbacks):
    small = scheme(w.OTHER_TOWN, period="2026")
    scored(small, django_capture_on_commit_callbacks)
    large = scheme(w.TOWN, period="2026")
    for n in range(3, 8):
        division(f"{w.TOWN}{n:03d}")
    scored(large, django_capture_on_commit_callbacks)

    few, rows_few = queries_and_rows(client_as("district_admin"), reverse("api:scheme-results", args=[small.pk]))
    many, rows_many = queries_and_rows(client_as("district_admin"), reverse("api:scheme-results", args=[large.pk]))

    assert (rows_few, rows_many) == (1, 7)
    assert few == many <= 6


def test_the_scores_report_costs_the_same_queries_for_1_or_several_units(world, django_capture_on_commit_callbacks):
    small = scheme(w.OTHER_TOWN, period="2026")
    scored(small, django_capture_on_commit_callbacks)
    large = scheme(w.TOWN, period="2026")
    for n in range(3, 8):
        division(f"{w.TOWN}{n:03d}")
    scored(large, django_capture_on_commit_callbacks)
    url = reverse("api:report-scores")

    few, _ = queries_and_rows(client_as("district_admin"), url, {"scheme": small.pk, "division": w.DISTRICT})
    many, rows = queries_and_rows(client_as("district_admin"), url, {"scheme": large.pk, "division": w.DISTRICT})

    assert rows == 7
    assert few == many <= 6


def test_the_run_and_disclosure_lists_cost_the_same_queries_for_1_or_several_rows(
    world, django_capture_on_commit_callbacks
):
    made = scheme(w.TOWN, period="2026")
    item = DisclosureItemFactory(division=division(w.VILLAGE))
    DisclosureFactory(item=item, period_start=D(2026, 1, 1))
    scored(made, django_capture_on_commit_callbacks)
    counts_few = [
        queries_and_rows(client_as("district_admin"), reverse(f"api:{name}-list"))[0]
        for name in ("scoringrun", "disclosure", "disclosureitem")
    ]
    for month in range(2, 6):
        DisclosureFactory(item=item, period_start=D(2026, month, 1))
        DisclosureItemFactory(division=division(w.VILLAGE))
        scored(made, django_capture_on_commit_callbacks)
    counts_many = [
        queries_and_rows(client_as("district_admin"), reverse(f"api:{name}-list"))[0]
        for name in ("scoringrun", "disclosure", "disclosureitem")
    ]

    assert counts_few == counts_many
    assert max(counts_many) <= 4
