"""Cadres' remuneration (issue 9 point 5; DESIGN.md sections 2 and 3, Guangyuan plan and Nanhai
task 08): base by post + performance by grade + collective income bonus − the deductions of
sanctions in force, in fen, each part explained; the town's rule over the district's; the
services' refusals; GET remuneration/ with its access matrix, XLSX and pinned query counts.
Results are stored by the factories (no scoring), dates are fixed (period 2025)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from governance.testing import world as w
from governance.testing.api import ANONYMOUS, CALLERS, OUTSIDER, client_as, queries_and_rows, results_of
from supervision.choices import BASE, BONUS, DEDUCTION, PERFORMANCE, Grade
from supervision.services import remuneration as services
from supervision.services.remuneration import half_up, remuneration_rows
from supervision.testing.factories import scheme, stored_results
from supervision.testing.record_factories import DisciplinarySanctionFactory
from villages.choices import PositionKind
from villages.testing.factories import PositionFactory, division

D = datetime.date
SECRETARY, DIRECTOR = PositionKind.PARTY_SECRETARY, PositionKind.COMMITTEE_DIRECTOR
# The town's rule of the tests: 36,000 元 for a party secretary, 30,000 for a director;
# 12,000 / 8,000 / 4,000 元 for excellent, good, pass; 5% of the income above 100,000 元, at most 5,000.
TOWN_RULE = {
    "bases": {SECRETARY: 3_600_000, DIRECTOR: 3_000_000},
    "performance": {Grade.EXCELLENT: 1_200_000, Grade.GOOD: 800_000, Grade.PASS: 400_000},
    "bonus_threshold_fen": 10_000_000,
    "bonus_percent": 5,
    "bonus_cap_fen": 500_000,
}


@pytest.fixture
def admin(world):
    return world.user("district_admin")


@pytest.fixture
def town_rule(admin):
    return services.save_rule(acting_user=admin, division=division(w.TOWN), period="2025", **TOWN_RULE)


def secretary(unit: str = w.VILLAGE, kind=SECRETARY):
    return PositionFactory(division=division(unit), kind=kind, started_on=D(2021, 3, 1))


def income(admin, unit: str, fen: int):
    services.save_incomes(acting_user=admin, period="2025", incomes=[{"unit": unit, "income_fen": fen}])


def pay_of(made, rows):
    results = stored_results(made, rows)
    return {(pay.unit, pay.post): pay for pay in remuneration_rows(made, results, D(2025, 12, 31))}


def test_half_up_rounds_a_half_fen_up_and_less_down():
    assert (half_up(5, 10), half_up(4, 10), half_up(15, 10), half_up(0, 7)) == (1, 0, 2, 0)


def test_a_cadre_is_paid_base_plus_performance_by_grade_plus_the_income_bonus_each_part_explained(town_rule, admin):
    position = secretary()
    income(admin, w.VILLAGE, 15_000_000)  # 50,000 元 above the threshold: 5% is 2,500 元
    made = scheme(w.TOWN)

    pay = pay_of(made, {w.VILLAGE: (95, Grade.EXCELLENT, 1)})[(w.VILLAGE, SECRETARY)]

    assert (pay.amount(BASE), pay.amount(PERFORMANCE), pay.amount(BONUS), pay.amount(DEDUCTION)) == (
        3_600_000,
        1_200_000,
        250_000,
        0,
    )
    assert pay.total_fen == 5_050_000
    assert pay.person == position.person.name
    reasons = [part.reason for part in pay.parts]
    assert "党组织书记" in reasons[0] and "优秀" in reasons[1] and "150,000.00" in reasons[2] and "5%" in reasons[2]
    assert "无处分扣减" in reasons[3]


def test_the_bonus_is_capped_and_is_nothing_below_the_threshold_or_without_an_income(town_rule, admin):
    for unit in (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN):
        secretary(unit)
    income(admin, w.VILLAGE, 30_000_000)  # 5% of 200,000 元 is 10,000: the cap of 5,000 pays
    third = division(f"{w.TOWN}003").code
    secretary(third)
    income(admin, third, 9_000_000)  # below the threshold
    made = scheme(w.TOWN)

    pays = pay_of(
        made, {w.VILLAGE: (90, Grade.GOOD, 1), w.OTHER_VILLAGE_SAME_TOWN: (90, Grade.GOOD, 1), third: (80, "pass", 3)}
    )

    capped = pays[(w.VILLAGE, SECRETARY)].parts[2]
    assert capped.amount_fen == 500_000 and "上限" in capped.reason
    assert pays[(w.OTHER_VILLAGE_SAME_TOWN, SECRETARY)].amount(BONUS) == 0
    assert "未录入" in pays[(w.OTHER_VILLAGE_SAME_TOWN, SECRETARY)].parts[2].reason
    assert pays[(third, SECRETARY)].amount(BONUS) == 0


def test_a_sanction_withholds_its_percent_of_each_month_it_is_in_force_on_the_months_last_day(town_rule, admin):
    position = secretary()
    income(admin, w.VILLAGE, 15_000_000)
    # In force from 15 June to 15 December (exclusive): the last days of June to November, 6 months.
    DisciplinarySanctionFactory(
        person=position.person, division=division(w.VILLAGE), decided_on=D(2025, 6, 15), deduction_percent=20
    )
    made = scheme(w.TOWN)

    pay = pay_of(made, {w.VILLAGE: (95, Grade.EXCELLENT, 1)})[(w.VILLAGE, SECRETARY)]

    # 5,050,000 × (6 × 20%) / 12 months
    assert pay.amount(DEDUCTION) == 505_000
    assert pay.total_fen == 4_545_000
    reason = pay.parts[3].reason
    assert "2025-06 扣 20%" in reason and "2025-11 扣 20%" in reason and "2025-12" not in reason


def test_of_sanctions_in_force_together_the_largest_applies_and_a_corrected_one_none(town_rule, admin):
    position = secretary()
    income(admin, w.VILLAGE, 15_000_000)
    place = division(w.VILLAGE)
    DisciplinarySanctionFactory(person=position.person, division=place, decided_on=D(2025, 6, 15), deduction_percent=20)
    DisciplinarySanctionFactory(
        person=position.person, division=place, decided_on=D(2025, 11, 1), deduction_percent=50, deduction_months=12
    )
    wrong = DisciplinarySanctionFactory(
        person=position.person, division=place, decided_on=D(2025, 1, 10), deduction_percent=100
    )
    DisciplinarySanctionFactory(
        person=position.person, division=place, decided_on=D(2025, 1, 10), deduction_percent=0, corrects=wrong
    )
    made = scheme(w.TOWN)

    pay = pay_of(made, {w.VILLAGE: (95, Grade.EXCELLENT, 1)})[(w.VILLAGE, SECRETARY)]

    # June to October 20%, November and December 50%: 200 percent-months of 1,200; 841,666.67 rounds up.
    assert pay.amount(DEDUCTION) == 841_667


def test_a_unit_is_paid_by_its_towns_rule_or_the_districts_when_the_town_has_none(town_rule, admin):
    services.save_rule(
        acting_user=admin,
        division=division(w.DISTRICT),
        period="2025",
        bases={SECRETARY: 2_400_000},
        performance={Grade.GOOD: 600_000},
    )
    secretary(w.VILLAGE)
    secretary(w.OTHER_TOWN_VILLAGE)
    made = scheme(w.DISTRICT)

    pays = pay_of(made, {w.VILLAGE: (85, Grade.GOOD, 1), w.OTHER_TOWN_VILLAGE: (85, Grade.GOOD, 1)})

    assert pays[(w.VILLAGE, SECRETARY)].rule == w.TOWN
    assert pays[(w.VILLAGE, SECRETARY)].amount(BASE) == 3_600_000
    assert pays[(w.OTHER_TOWN_VILLAGE, SECRETARY)].rule == w.DISTRICT
    assert pays[(w.OTHER_TOWN_VILLAGE, SECRETARY)].total_fen == 3_000_000


def test_a_grade_the_rule_pays_nothing_for_is_explained_and_a_post_without_a_base_is_not_paid(town_rule):
    secretary(w.VILLAGE)
    secretary(w.VILLAGE, kind=PositionKind.RESERVE_CADRE)
    made = scheme(w.TOWN)

    pays = pay_of(made, {w.VILLAGE: (10, Grade.FAIL, 1)})

    assert list(pays) == [(w.VILLAGE, SECRETARY)]
    assert pays[(w.VILLAGE, SECRETARY)].amount(PERFORMANCE) == 0
    assert "不合格" in pays[(w.VILLAGE, SECRETARY)].parts[1].reason


def test_saving_a_rule_again_replaces_it_whole(town_rule, admin):
    rule = services.save_rule(
        acting_user=admin, division=division(w.TOWN), period="2025", bases={DIRECTOR: 100}, performance={}
    )

    assert rule.pk == town_rule.pk
    assert list(rule.bases.values_list("post_kind", "amount_fen")) == [(DIRECTOR, 100)]
    assert not rule.performance.exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"bases": {"mayor": 1}}, "bases"),
        ({"bases": {SECRETARY: -1}}, "bases"),
        ({"performance": {"superb": 1}}, "performance"),
        ({"bonus_percent": 101}, "bonus_percent"),
        ({"period": "2025-13"}, "period"),
    ],
)
def test_a_rule_with_a_bad_field_is_refused_naming_it(admin, fields, field):
    arguments = {"division": division(w.TOWN), "period": "2025", "bases": {SECRETARY: 1}, "performance": {}}

    with pytest.raises(ValidationError) as refused:
        services.save_rule(acting_user=admin, **{**arguments, **fields})

    assert field in refused.value.message_dict


def test_a_rule_is_set_by_a_town_or_the_district_only_and_by_who_may_there(world, admin):
    with pytest.raises(ValidationError):
        services.save_rule(
            acting_user=admin, division=division(w.VILLAGE), period="2025", bases={SECRETARY: 1}, performance={}
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_rule(
            acting_user=world.user("town_official"),
            division=division(w.OTHER_TOWN),
            period="2025",
            bases={SECRETARY: 1},
            performance={},
        )


def test_incomes_are_saved_all_or_none_each_bad_row_named(world):
    official = world.user("town_official")

    with pytest.raises(ValidationError) as refused:
        services.save_incomes(
            acting_user=official,
            period="2025",
            incomes=[
                {"unit": w.VILLAGE, "income_fen": 1},
                {"unit": w.OTHER_TOWN_VILLAGE, "income_fen": 1},
                {"unit": w.OTHER_VILLAGE_SAME_TOWN, "income_fen": "many"},
            ],
        )

    messages = refused.value.message_dict["incomes"]
    assert len(messages) == 2 and "第 1 行" in messages[0] and "第 2 行" in messages[1]
    from supervision.models import CollectiveIncome

    assert not CollectiveIncome.objects.exists()


# --- the API -------------------------------------------------------------------------------------

READERS = {"district_admin", "town_official", "inspector"}


@pytest.fixture
def paid_scheme(town_rule, admin):
    secretary(w.VILLAGE)
    income(admin, w.VILLAGE, 15_000_000)
    made = scheme(w.TOWN)
    stored_results(made, {w.VILLAGE: (95, Grade.EXCELLENT, 1)})
    return made


@pytest.mark.parametrize("who", CALLERS)
def test_remuneration_is_read_by_the_district_town_officials_and_inspectors_only(paid_scheme, who):
    response = client_as(who).get(reverse("api:remuneration"), {"scheme": paid_scheme.pk, "division": w.TOWN})

    if who == ANONYMOUS:
        assert response.status_code == 401
    elif who in READERS:
        assert response.status_code == 200
        (row,) = results_of(response)
        assert (row["unit"], row["post"], row["total_fen"]) == (w.VILLAGE, SECRETARY, 5_050_000)
        assert [part["part"] for part in row["parts"]] == [BASE, PERFORMANCE, BONUS, DEDUCTION]
    else:
        # In scope of the scheme, or nowhere at all, but without the right to read remuneration.
        assert who in (OUTSIDER, "village_clerk", "coop_clerk", "grid_worker", "report_reader")
        assert response.status_code == 403


def test_remuneration_of_a_division_outside_the_callers_jurisdiction_is_404(paid_scheme):
    client = client_as("town_official")

    response = client.get(reverse("api:remuneration"), {"scheme": paid_scheme.pk, "division": w.OTHER_TOWN})

    assert response.status_code == 404


def test_remuneration_without_a_scheme_is_400_naming_it(paid_scheme):
    response = client_as("district_admin").get(reverse("api:remuneration"), {"division": w.TOWN})

    assert response.status_code == 400 and "scheme" in response.json()


def test_remuneration_exports_as_xlsx_with_a_row_per_cadre(paid_scheme):
    response = client_as("district_admin").get(
        reverse("api:remuneration"), {"scheme": paid_scheme.pk, "division": w.TOWN, "format": "xlsx"}
    )

    assert response.status_code == 200 and response.content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "代码" and len(rows) == 2
    assert rows[1][0] == w.VILLAGE and 50_500 in rows[1]  # 5,050,000 fen: 50,500.00 yuan


def remuneration_file(paid_scheme, file_format: str):
    return client_as("district_admin").get(
        reverse("api:remuneration"), {"scheme": paid_scheme.pk, "division": w.TOWN, "format": file_format}
    )


def test_the_remuneration_sheet_gives_amounts_in_yuan_as_numbers_and_the_town_by_its_name(paid_scheme):
    sheet = load_workbook(io.BytesIO(remuneration_file(paid_scheme, "xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))

    assert header[:4] == ["代码", "村（社）", "所属镇街", "镇街代码"]
    assert (row["所属镇街"].value, row["镇街代码"].value) == (division(w.TOWN).name, w.TOWN)
    assert not any("（分）" in name for name in header)
    total = row["应发合计（元）"]
    assert total.value == 50_500 and total.data_type == "n" and total.number_format == "#,##0.00"
    paid = [row[name].value for name in ("基本报酬（元）", "考核绩效（元）", "创收奖励（元）", "处分扣减（元）")]
    assert all(isinstance(amount, (int, float)) for amount in paid)
    assert sum(paid[:3]) - paid[3] == total.value


def test_the_remuneration_csv_gives_yuan_with_two_decimals_and_the_json_keeps_fen(paid_scheme):
    text = remuneration_file(paid_scheme, "csv").content.decode("utf-8-sig")
    body = client_as("district_admin").get(reverse("api:remuneration"), {"scheme": paid_scheme.pk, "division": w.TOWN})

    header, row = (line.split(",") for line in text.splitlines()[:2])
    assert dict(zip(header, row, strict=False))["应发合计（元）"] == "50500.00"
    (json_row,) = results_of(body)
    assert (json_row["total_fen"], json_row["town"]) == (5_050_000, w.TOWN)
    labels = {column["key"]: column["label"] for column in body.json()["columns"]}
    assert labels["total_fen"] == "应发合计（分）" and "town_name" not in labels


def test_the_rule_and_incomes_are_posted_through_the_api(world):
    client = client_as("town_official")

    rule = client.post(
        reverse("api:remuneration-rules"),
        {"division": w.TOWN, "period": "2025", "bases": {SECRETARY: 100}, "performance": {"good": 50}},
        format="json",
    )
    incomes = client.post(
        reverse("api:collective-incomes"),
        {"period": "2025", "incomes": [{"unit": w.VILLAGE, "income_fen": 10}]},
        format="json",
    )
    refused = client_as("village_clerk").post(
        reverse("api:remuneration-rules"),
        {"division": w.TOWN, "period": "2025", "bases": {SECRETARY: 100}},
        format="json",
    )

    assert rule.status_code == 201 and rule.json()["division"] == w.TOWN
    assert incomes.status_code == 201 and incomes.json() == {"saved": 1}
    assert refused.status_code == 403


def test_remuneration_costs_the_same_queries_for_one_unit_as_for_several(town_rule, admin):
    small, large = scheme(w.TOWN), scheme(w.TOWN)
    secretary(w.VILLAGE)
    stored_results(small, {w.VILLAGE: (95, Grade.EXCELLENT, 1)})
    units = [w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN, *(division(f"{w.TOWN}{n:03d}").code for n in range(3, 7))]
    for unit in units[1:]:
        position = secretary(unit)
        secretary(unit, kind=DIRECTOR)
        income(admin, unit, 20_000_000)
        DisciplinarySanctionFactory(person=position.person, division=division(unit), decided_on=D(2025, 3, 1))
    stored_results(large, {unit: (80, Grade.GOOD, 1) for unit in units})
    url = reverse("api:remuneration")

    few, rows_few = queries_and_rows(client_as("district_admin"), url, {"scheme": small.pk, "division": w.TOWN})
    many, rows_many = queries_and_rows(client_as("district_admin"), url, {"scheme": large.pk, "division": w.TOWN})

    assert (rows_few, rows_many) == (1, 11)
    # grants, division, scheme, results, rules, bases, performance, positions, incomes, sanctions
    assert few == many == 10


def test_the_demo_sets_the_towns_rule_and_every_villages_income_for_the_demo_scheme(world):
    from supervision.demo.remuneration import DEMO_BONUS, demo_income_fen, load_demo_remuneration
    from supervision.models import CollectiveIncome

    official = world.user("town_official")
    made = scheme(w.TOWN, period="2026")
    stored_results(made, {w.VILLAGE: (85, Grade.GOOD, 1), w.OTHER_VILLAGE_SAME_TOWN: (70, Grade.PASS, 2)})
    secretary(w.VILLAGE, kind=PositionKind.SECRETARY_AND_DIRECTOR)

    summary = load_demo_remuneration(official, made)

    assert "2 个村" in summary
    assert CollectiveIncome.objects.get(unit_id=w.VILLAGE, period="2026").income_fen == demo_income_fen(w.VILLAGE)
    (pay,) = services.remuneration_of(official, made, w.TOWN)
    assert pay.amount(BASE) == 6_000_000 and pay.amount(PERFORMANCE) == 1_200_000
    assert 0 <= pay.amount(BONUS) <= DEMO_BONUS["bonus_cap_fen"]
