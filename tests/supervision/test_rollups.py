"""The roll-up reports of supervision and assessment (issue 9 point 6) on the reports base:
grade counts per town or village, the indicators where units lost points, remuneration totals
(all three from stored results, built by the factories: nothing is scored), overdue disclosures
and supervision counts of a period; who may read them, CSV and XLSX, pinned query counts."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.testing import world as w
from governance.testing.api import client_as, queries_and_rows, results_of
from supervision.choices import Grade
from supervision.services import remuneration
from supervision.testing.factories import DisclosureFactory, DisclosureItemFactory, scheme, stored_results
from supervision.testing.record_factories import DisciplinarySanctionFactory, IntegrityTalkFactory
from villages.choices import PositionKind
from villages.testing.factories import PositionFactory, division

D = datetime.date
SECOND_VILLAGE = w.OTHER_VILLAGE_SAME_TOWN


def report(slug: str, who: str = "district_admin", **params):
    response = client_as(who).get(reverse(f"api:report-{slug}"), params)
    assert response.status_code == 200, response.content[:500]
    return {row["code"] if "code" in row else row["indicator"]: row for row in results_of(response)}


@pytest.fixture
def district_scheme(world):
    made = scheme(w.DISTRICT, indicators=(("a", 60, "entered"), ("b", 40, "entered")))
    stored_results(
        made,
        {
            w.VILLAGE: (80, Grade.GOOD, 1, {"a": 100, "b": 50}, []),
            SECOND_VILLAGE: (48, Grade.FAIL, 2, {"a": 80, "b": 0}, ["b"]),
            w.OTHER_TOWN_VILLAGE: (95, Grade.EXCELLENT, 1, {"a": 100, "b": 87.5}, []),
        },
    )
    return made


def test_grade_counts_are_per_town_for_the_district_and_per_village_for_a_town(district_scheme):
    towns = report("grade-counts", scheme=district_scheme.pk, division=w.DISTRICT)
    villages = report("grade-counts", scheme=district_scheme.pk, division=w.TOWN)

    assert (towns[w.TOWN]["units"], towns[w.TOWN]["good"], towns[w.TOWN]["fail"], towns[w.TOWN]["average"]) == (
        2,
        1,
        1,
        64.0,
    )
    assert (towns[w.OTHER_TOWN]["units"], towns[w.OTHER_TOWN]["excellent"]) == (1, 1)
    assert villages[SECOND_VILLAGE]["fail"] == 1 and villages[w.VILLAGE]["good"] == 1


def test_a_town_official_counts_only_the_units_of_their_town(district_scheme):
    towns = report("grade-counts", "town_official", scheme=district_scheme.pk, division=w.TOWN)

    assert sum(row["units"] for row in towns.values()) == 2


def test_indicator_losses_list_the_weakest_first_with_the_missing_entries(district_scheme):
    rows = report("indicator-losses", scheme=district_scheme.pk, division=w.TOWN)

    # b: 40 × 50% + 40 × 100% = 60 points lost over 2 units; a: 60 × 20% = 12.
    assert list(rows) == ["b", "a"]
    assert (rows["b"]["losing_units"], rows["b"]["missing_units"], rows["b"]["points_lost"]) == (2, 1, 60.0)
    assert (rows["b"]["average_lost"], rows["a"]["losing_units"], rows["a"]["points_lost"]) == (30.0, 1, 12.0)


def test_remuneration_totals_sum_each_part_per_village(district_scheme, world):
    admin = world.user("district_admin")
    remuneration.save_rule(
        acting_user=admin,
        division=division(w.DISTRICT),
        period="2025",
        bases={PositionKind.PARTY_SECRETARY: 1_000, PositionKind.COMMITTEE_DIRECTOR: 800},
        performance={Grade.GOOD: 300},
    )
    for kind in (PositionKind.PARTY_SECRETARY, PositionKind.COMMITTEE_DIRECTOR):
        PositionFactory(division=division(w.VILLAGE), kind=kind)

    rows = report("remuneration-totals", scheme=district_scheme.pk, division=w.TOWN)

    assert (rows[w.VILLAGE]["cadres"], rows[w.VILLAGE]["base_fen"], rows[w.VILLAGE]["performance_fen"]) == (
        2,
        1_800,
        600,
    )
    assert rows[w.VILLAGE]["total_fen"] == 2_400 and rows[SECOND_VILLAGE]["cadres"] == 0
    assert (
        client_as("report_reader")
        .get(reverse("api:report-remuneration-totals"), {"scheme": district_scheme.pk, "division": w.TOWN})
        .status_code
        == 403
    )


def test_overdue_disclosures_count_what_fell_due_in_the_period_on_time_late_and_overdue(world):
    filed = DisclosureItemFactory(division=division(w.VILLAGE), since=D(2025, 1, 1))
    DisclosureFactory(item=filed, period_start=D(2025, 1, 1), filed_on=D(2025, 2, 5))
    DisclosureFactory(item=filed, period_start=D(2025, 2, 1), filed_on=D(2025, 3, 20))
    DisclosureItemFactory(division=division(w.VILLAGE), since=D(2025, 1, 1))  # nothing filed

    rows = report("overdue-disclosures", period="2025-Q1", division=w.TOWN)

    # January's is due on 10 February, February's on 10 March; March's falls due in the next quarter.
    village = rows[w.VILLAGE]
    assert (village["due"], village["on_time"], village["late"], village["overdue"]) == (4, 1, 1, 2)
    assert village["on_time_percent"] == 25.0 and village["on"] == "2025-03-31"
    assert rows[SECOND_VILLAGE]["due"] == 0 and rows[SECOND_VILLAGE]["on_time_percent"] is None


def test_supervision_counts_count_the_standing_records_of_the_period_per_town(world):
    place = division(w.VILLAGE)
    DisciplinarySanctionFactory(division=place, decided_on=D(2025, 3, 1))
    wrong = DisciplinarySanctionFactory(division=place, decided_on=D(2025, 4, 1))
    DisciplinarySanctionFactory(division=place, decided_on=D(2025, 4, 1), person=wrong.person, corrects=wrong)
    DisciplinarySanctionFactory(division=place, decided_on=D(2024, 12, 31))
    IntegrityTalkFactory(division=division(w.OTHER_TOWN_VILLAGE), held_on=D(2025, 6, 1))

    rows = report("supervision-counts", "inspector", period="2025", division=w.DISTRICT)

    assert (rows[w.TOWN]["sanctions"], rows[w.TOWN]["integrity_talks"]) == (2, 0)
    assert (rows[w.OTHER_TOWN]["sanctions"], rows[w.OTHER_TOWN]["integrity_talks"]) == (0, 1)
    assert (
        client_as("village_clerk")
        .get(reverse("api:report-supervision-counts"), {"period": "2025", "division": w.VILLAGE})
        .status_code
        == 403
    )


def test_a_roll_up_answers_csv_and_xlsx(district_scheme):
    url = reverse("api:report-grade-counts")
    params = {"scheme": district_scheme.pk, "division": w.DISTRICT}
    client = client_as("report_reader")

    csv = client.get(url, {**params, "format": "csv"})
    xlsx = client.get(url, {**params, "format": "xlsx"})

    assert csv.status_code == 200 and "代码" in csv.content.decode("utf-8-sig").splitlines()[0]
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [w.OTHER_TOWN, w.TOWN]


def test_a_scheme_out_of_reach_is_404_and_a_missing_one_400(district_scheme):
    far = scheme(w.FAR_DISTRICT)
    client = client_as("town_official")
    url = reverse("api:report-grade-counts")

    assert client.get(url, {"scheme": far.pk, "division": w.TOWN}).status_code == 404
    assert client.get(url, {"division": w.TOWN}).status_code == 400


@pytest.mark.parametrize("slug", ["grade-counts", "indicator-losses", "remuneration-totals"])
def test_a_scheme_roll_up_costs_the_same_queries_for_one_unit_as_for_several(world, slug):
    small, large = scheme(w.TOWN), scheme(w.TOWN)
    stored_results(small, {w.VILLAGE: (80, Grade.GOOD, 1, {"work": 80}, [])})
    units = [w.VILLAGE, SECOND_VILLAGE, *(division(f"{w.TOWN}{n:03d}").code for n in range(3, 8))]
    stored_results(large, {unit: (70, Grade.PASS, 1, {"work": 70}, []) for unit in units})
    url = reverse(f"api:report-{slug}")

    few, _ = queries_and_rows(client_as("district_admin"), url, {"scheme": small.pk, "division": w.TOWN})
    many, _ = queries_and_rows(client_as("district_admin"), url, {"scheme": large.pk, "division": w.TOWN})

    assert few == many


@pytest.mark.parametrize("slug", ["overdue-disclosures", "supervision-counts"])
def test_a_period_roll_up_costs_the_same_queries_for_one_village_as_for_several(world, slug):
    DisclosureItemFactory(division=division(w.VILLAGE), since=D(2025, 1, 1))
    DisciplinarySanctionFactory(division=division(w.VILLAGE), decided_on=D(2025, 3, 1))
    url = reverse(f"api:report-{slug}")
    params = {"period": "2025", "division": w.TOWN}
    few, _ = queries_and_rows(client_as("district_admin"), url, params)
    for n in range(3, 8):
        unit = division(f"{w.TOWN}{n:03d}")
        DisclosureItemFactory(division=unit, since=D(2025, 1, 1))
        DisciplinarySanctionFactory(division=unit, decided_on=D(2025, 3, 1))

    many, rows = queries_and_rows(client_as("district_admin"), url, params)

    assert few == many and rows >= 7
