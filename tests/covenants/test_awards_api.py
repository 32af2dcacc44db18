"""Compliance award runs in the API (docs/api.md, "Compliance award runs") and the award-totals
report: access matrices, the run's actions, payouts masked, the bank's XLSX read back with
openpyxl, and pinned query counts that do not grow with the number of rows."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from covenants import services
from covenants.choices import AwardRunStatus
from covenants.models import AwardRun
from covenants.testing.factories import ViolationFactory, award_run, published_covenant
from governance.testing import world as w
from governance.testing.api import (
    ANONYMOUS,
    APIViewTestCases,
    client_as,
    in_jurisdiction,
    queries_and_rows,
    results_of,
)
from governance.testing.fixtures import OUTSIDER
from villages.testing.factories import MembershipFactory, division

D = datetime.date
RUN_VIEWERS = {"district_admin", "town_official", "village_clerk", "coop_clerk", "inspector", "report_reader"}
PAYOUT_VIEWERS = RUN_VIEWERS - {"report_reader"}
PREVIEWERS = {"district_admin", "village_clerk"}
APPROVERS = {"district_admin", "town_official"}


def a_run(code: str, **fields) -> AwardRun:
    return award_run(code, **fields)


# --- 1. Access matrices ----------------------------------------------------------------------------


class TestAwardRunAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    basename = "awardrun"
    model = AwardRun
    viewers = RUN_VIEWERS
    adders = PREVIEWERS

    def make_object(self, code):
        return a_run(code)

    def create_data(self, code, scenario, who):
        return {"division": code, "period": "2024", "fund_yuan": "10000.00", "rule": "equal"}

    def test_an_action_on_a_run_answers_as_its_right_says(self, scenario, who, where, db):
        """approve needs the approve right (four eyes: the run's creator is another user);
        recompute and discard the right to change; 404 outside the jurisdiction."""
        obj = self.object_at(scenario, who, where)
        code = self.place(who, where)
        for step, allowed in (("recompute", PREVIEWERS), ("approve", APPROVERS), ("discard", PREVIEWERS)):
            run = a_run(code) if step != "recompute" else obj
            status_before = run.status

            response = client_as(who).post(self.detail_url(run, step))

            expected = self.expected_on_one_object(who, code, allowed, 200)
            assert response.status_code == expected, (step, response.content[:300])
            if expected != 200:
                assert AwardRun.objects.get(pk=run.pk).status == status_before

    def test_the_payouts_answer_like_the_run_and_not_to_the_report_reader(self, scenario, who, where, db):
        obj = self.object_at(scenario, who, where)

        response = client_as(who).get(self.detail_url(obj, "payouts"))

        expected = self.expected_on_one_object(who, self.place(who, where), PAYOUT_VIEWERS, 200)
        if who == "report_reader" and in_jurisdiction(who, self.place(who, where)):
            expected = 403
        assert response.status_code == expected, response.content[:300]
        if expected == 200:
            assert {row["person"] for row in results_of(response)} == set(
                obj.payouts.values_list("person_id", flat=True)
            )


def test_a_coop_clerk_sees_the_runs_of_their_cooperative_but_not_the_villages(world):
    cooperative_run, village_run = a_run(w.COOPERATIVE), a_run(w.VILLAGE)

    shown = {row["id"] for row in results_of(client_as("coop_clerk").get(reverse("api:awardrun-list")))}

    assert cooperative_run.pk in shown and village_run.pk not in shown


def test_an_outsider_sees_no_run(world):
    a_run(w.COOPERATIVE)

    assert client_as(OUTSIDER).get(reverse("api:awardrun-list")).status_code == 403
    assert client_as(ANONYMOUS).get(reverse("api:awardrun-list")).status_code == 401


# --- 2. The workflow through the API ---------------------------------------------------------------


def preview_through_the_api(**data):
    body = {"division": w.COOPERATIVE, "period": "2025", "fund_yuan": "10000.00", "rule": "equal", **data}
    return client_as("village_clerk").post(reverse("api:awardrun-list"), body, format="json")


def test_a_preview_through_the_api_answers_with_its_totals(world):
    for _ in range(3):
        MembershipFactory(cooperative=division(w.COOPERATIVE))

    response = preview_through_the_api()

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["fund_fen"], body["fund_yuan"], body["members"], body["paid_fen"]) == (
        "preview",
        1_000_000,
        "10000.00",
        3,
        1_000_000,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"fund_yuan": "12.345"}, "fund_yuan"),
        ({"fund_yuan": "-1"}, "fund_yuan"),
        ({"fund_yuan": "很多"}, "fund_yuan"),
        ({"period": "2025-13"}, "period"),
        ({"rule": "lottery"}, "rule"),
        ({"fund_yuan": None, "fund_fen": None}, "fund_yuan"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(world, data, field):
    MembershipFactory(cooperative=division(w.COOPERATIVE))
    data = {key: value for key, value in data.items() if value is not None}
    body = {"division": w.COOPERATIVE, "period": "2025", "fund_yuan": "100", "rule": "equal", **data}
    if "fund_fen" in data or (field == "fund_yuan" and "fund_yuan" not in data):
        body.pop("fund_yuan")

    response = client_as("village_clerk").post(reverse("api:awardrun-list"), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not AwardRun.objects.exists()


def test_the_creator_approving_through_the_api_gets_403_and_another_official_200(world):
    MembershipFactory(cooperative=division(w.COOPERATIVE))
    run_id = (
        client_as("district_admin")
        .post(reverse("api:awardrun-list"), {"division": w.COOPERATIVE, "period": "2025", "fund_fen": 7}, format="json")
        .json()["id"]
    )
    url = reverse("api:awardrun-approve", args=[run_id])

    assert client_as("district_admin").post(url).status_code == 403
    response = client_as("town_official").post(url)

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["approved_by"]) == ("approved", "town_official")


def test_recomputing_a_frozen_run_through_the_api_is_a_400(world):
    run = a_run(w.COOPERATIVE, status=AwardRunStatus.APPROVED)

    response = client_as("village_clerk").post(reverse("api:awardrun-recompute", args=[run.pk]))

    assert response.status_code == 400
    assert "status" in response.json()


def test_a_second_approval_for_the_period_through_the_api_is_a_400_on_the_period(world):
    a_run(w.COOPERATIVE, status=AwardRunStatus.APPROVED)
    second = a_run(w.COOPERATIVE)

    response = client_as("town_official").post(reverse("api:awardrun-approve", args=[second.pk]))

    assert response.status_code == 400
    assert "period" in response.json()


def test_runs_filter_by_division_period_and_status(world):
    kept = a_run(w.COOPERATIVE, status=AwardRunStatus.APPROVED)
    a_run(w.OTHER_COOPERATIVE_SAME_VILLAGE)
    other_period = a_run(w.COOPERATIVE)
    AwardRun.objects.filter(pk=other_period.pk).update(period="2024")
    url = reverse("api:awardrun-list")
    client = client_as("village_clerk")

    assert {r["id"] for r in results_of(client.get(url, {"division": w.COOPERATIVE, "period": "2025"}))} == {kept.pk}
    assert {r["id"] for r in results_of(client.get(url, {"status": "approved"}))} == {kept.pk}


# --- 3. Payouts: masking and the bank's sheet --------------------------------------------------------


def test_payouts_show_names_and_id_numbers_to_the_clerk_and_mask_them_for_the_town(world):
    run = a_run(w.COOPERATIVE, members=1)
    person = run.payouts.get().person
    url = reverse("api:awardrun-payouts", args=[run.pk])

    clerk_row = results_of(client_as("village_clerk").get(url))[0]
    town_row = results_of(client_as("town_official").get(url))[0]

    assert (clerk_row["name"], clerk_row["id_number"]) == (person.name, person.id_number)
    assert town_row["name"] == person.name[0] + "*"
    assert town_row["id_number"] == person.id_number[:6] + "********" + person.id_number[-4:]


def test_a_run_shows_what_it_pays_and_what_stays_in_the_fund_and_each_line_its_entitlement(world):
    run = a_run(w.COOPERATIVE, members=3, fund_fen=1000, withheld=1)

    detail = client_as("village_clerk").get(reverse("api:awardrun-detail", args=[run.pk]))
    lines = results_of(client_as("village_clerk").get(reverse("api:awardrun-payouts", args=[run.pk])))

    assert detail.status_code == 200, detail.content
    figures = {k: detail.json()[k] for k in ("fund_fen", "paid_fen", "paid_yuan", "kept_fen", "kept_yuan")}
    assert figures == {"fund_fen": 1000, "paid_fen": 667, "paid_yuan": "6.67", "kept_fen": 333, "kept_yuan": "3.33"}
    assert [(line["entitlement_fen"], line["amount_fen"], line["eligible"]) for line in lines] == [
        (334, 334, True),
        (333, 333, True),
        (333, 0, False),
    ]
    assert lines[2]["entitlement_yuan"] == "3.33" and "留存奖励资金" in lines[2]["withheld_reason"]


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_bank_sheet_lists_the_members_paid_their_total_and_what_stays_in_the_fund(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    people = [MembershipFactory(cooperative=division(w.COOPERATIVE)).person for _ in range(3)]
    ViolationFactory(clause=clause, person=people[2], occurred_on=D(2025, 4, 1), confirmed_on=D(2025, 4, 2))
    clerk, official = world.user("village_clerk"), world.user("town_official")
    run = services.preview_award_run(
        acting_user=clerk, division=division(w.COOPERATIVE), period="2025", fund_yuan="10000.01"
    )
    services.approve_award_run(run, acting_user=official)

    rows = sheet_rows(client_as("village_clerk").get(reverse("api:awardrun-payouts-xlsx", args=[run.pk])))

    assert rows[0] == ("序号", "姓名", "身份证号", "股份", "金额（元）")
    members = rows[1:-3]
    assert [row[0] for row in members] == [1, 2]  # the withheld member is not sent to the bank
    assert [row[1] for row in members] == [people[0].name, people[1].name]
    assert [row[2] for row in members] == [people[0].id_number, people[1].id_number]
    # Each is paid their third in full; the withheld member's third stays in the fund.
    assert [row[4] for row in members] == [3333.34, 3333.34]
    totals = [(row[0], row[4]) for row in rows[-3:]]
    assert totals == [("合计", 6666.68), ("留存奖励资金", 3333.33), ("奖励资金", 10000.01)]


def test_the_bank_sheet_masks_names_and_id_numbers_for_a_caller_who_may_not_see_personal_data(world):
    run = a_run(w.COOPERATIVE, members=1, status=AwardRunStatus.APPROVED)
    person = run.payouts.get().person

    rows = sheet_rows(client_as("town_official").get(reverse("api:awardrun-payouts-xlsx", args=[run.pk])))

    assert rows[1][1] == person.name[0] + "*"
    assert rows[1][2] != person.id_number and rows[1][2].endswith(person.id_number[-4:]) and "*" in rows[1][2]


def test_a_preview_has_no_bank_sheet(world):
    run = a_run(w.COOPERATIVE)

    response = client_as("village_clerk").get(reverse("api:awardrun-payouts-xlsx", args=[run.pk]))

    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize(("who", "expected"), [("report_reader", 403), ("village_clerk", 404), (OUTSIDER, 404)])
def test_the_bank_sheet_is_refused_to_those_who_may_not_see_the_payouts(world, who, expected):
    code = w.COOPERATIVE if who == "report_reader" else w.OTHER_TOWN_VILLAGE
    run = a_run(code, status=AwardRunStatus.APPROVED)

    assert client_as(who).get(reverse("api:awardrun-payouts-xlsx", args=[run.pk])).status_code == expected


# --- 4. Query counts ------------------------------------------------------------------------------------


def test_the_run_list_costs_the_same_queries_for_one_run_or_many(world):
    a_run(w.COOPERATIVE)
    client = client_as("village_clerk")
    few, rows_few = queries_and_rows(client, reverse("api:awardrun-list"))
    for code in (w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE, w.VILLAGE) * 3:
        a_run(code)

    many, rows_many = queries_and_rows(client_as("village_clerk"), reverse("api:awardrun-list"))

    assert (rows_few, rows_many) == (1, 10)
    assert few == many <= 4


def test_the_payouts_cost_the_same_queries_for_two_members_or_forty(world):
    small, large = a_run(w.COOPERATIVE, members=2), a_run(w.OTHER_COOPERATIVE_SAME_VILLAGE, members=40)

    few, rows_few = queries_and_rows(client_as("village_clerk"), reverse("api:awardrun-payouts", args=[small.pk]))
    many, rows_many = queries_and_rows(client_as("village_clerk"), reverse("api:awardrun-payouts", args=[large.pk]))

    assert (rows_few, rows_many) == (2, 40)
    assert few == many <= 5


# --- 5. The award-totals report -------------------------------------------------------------------------


def report(who="town_official", **params):
    return client_as(who).get(reverse("api:report-award-totals"), {"division": w.TOWN, "period": "2025", **params})


def test_the_award_totals_report_counts_the_approved_run_of_each_division(world):
    clause = published_covenant(w.VILLAGE).clauses.get(number=2)
    people = [MembershipFactory(cooperative=division(w.COOPERATIVE)).person for _ in range(3)]
    ViolationFactory(clause=clause, person=people[0], occurred_on=D(2025, 4, 1), confirmed_on=D(2025, 4, 2))
    clerk, official = world.user("village_clerk"), world.user("town_official")
    approved = services.preview_award_run(
        acting_user=clerk, division=division(w.COOPERATIVE), period="2025", fund_fen=301
    )
    services.approve_award_run(approved, acting_user=official)
    a_run(w.COOPERATIVE)  # a later preview, not counted while an approved run exists
    preview_only = a_run(w.OTHER_VILLAGE_SAME_TOWN, members=4, fund_fen=1000)
    a_run(w.OTHER_TOWN_VILLAGE)  # another town: not in the report

    response = report()

    assert response.status_code == 200, response.content
    rows = {row["code"]: row for row in response.json()["results"]}
    assert set(rows) == {w.COOPERATIVE, w.OTHER_VILLAGE_SAME_TOWN}
    keys = ("runs", "run", "paid_members", "withheld_members", "paid_fen", "kept_fen", "kept_yuan")
    # 301 fen among 3: 101 to the lowest id (the violator, whose part stays in the fund), 100 each.
    assert {k: rows[w.COOPERATIVE][k] for k in keys} == {
        "runs": 2,
        "run": approved.pk,
        "paid_members": 2,
        "withheld_members": 1,
        "paid_fen": 200,
        "kept_fen": 101,
        "kept_yuan": 1.01,
    }
    assert rows[w.COOPERATIVE]["status"] == "已批准（冻结）"
    assert (rows[w.OTHER_VILLAGE_SAME_TOWN]["run"], rows[w.OTHER_VILLAGE_SAME_TOWN]["paid_yuan"]) == (
        preview_only.pk,
        10.0,
    )


def test_the_award_totals_report_answers_csv_and_xlsx(world):
    a_run(w.COOPERATIVE, fund_fen=12345)

    csv_text = report(format="csv").content.decode("utf-8-sig")
    xlsx = load_workbook(io.BytesIO(report(format="xlsx").content)).active

    assert "奖励资金（元）" in csv_text.splitlines()[0] and "123.45" in csv_text
    assert list(xlsx.iter_rows(values_only=True))[1][0] == w.COOPERATIVE


def test_the_award_totals_report_shows_only_the_callers_jurisdiction(world):
    a_run(w.OTHER_VILLAGE_SAME_TOWN)

    assert report("village_clerk").status_code == 404  # the town is not in the clerk's jurisdiction
    assert results_of(report("village_clerk", division=w.VILLAGE)) == []
    assert report(OUTSIDER).status_code in (403, 404)


def test_the_award_totals_report_needs_a_period(world):
    response = client_as("town_official").get(reverse("api:report-award-totals"), {"division": w.TOWN})

    assert response.status_code == 400
    assert "period" in response.json()
