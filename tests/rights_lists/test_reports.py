"""The rights_lists' roll-up reports (docs/api.md, Reports): decisions-by-state,
full-procedure-share and overdue-publications. Their figures on hand-built data, the three
formats, the access matrix (in scope, out of scope, the outsider, the anonymous caller) and pinned
query counts that do not grow with the number of decisions.

Every date is fixed: the periods asked for are past, so nothing here depends on today."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from governance.testing import world as w
from governance.testing.api import ANONYMOUS, ROLES, client_as, queries_and_rows, results_of
from governance.testing.factories import UserFactory
from governance.testing.fixtures import OUTSIDER
from rights_lists.choices import PUBLICATION_DUE_DAYS, Body, DecisionState, Procedure, PublicationKind, Step
from rights_lists.models import Decision, Implementation, Publication
from rights_lists.testing.factories import DecisionFactory, DecisionStepFactory, adopted_template
from villages.testing.factories import division

D = datetime.date
BY_STATE, FULL_SHARE, OVERDUE = "decisions-by-state", "full-procedure-share", "overdue-publications"
SLUGS = (BY_STATE, FULL_SHARE, OVERDUE)
BODY_OF_STEP = {
    Step.PROPOSAL: Body.PARTY_COMMITTEE,
    Step.CONSULTATION: Body.TWO_COMMITTEES,
    Step.REVIEW: Body.PARTY_ASSEMBLY,
    Step.RESOLUTION: Body.REPRESENTATIVE_ASSEMBLY,
}
FOUR_STEPS = (Step.PROPOSAL, Step.CONSULTATION, Step.REVIEW, Step.RESOLUTION)


def get(slug, who="town_official", **params):
    return client_as(who).get(reverse(f"api:report-{slug}"), params)


def rows_by_code(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content[:500]
    return {row["code"]: row for row in results_of(response)}


def decision(
    code,
    *,
    item_procedure=Procedure.FOUR_DELIBERATIONS,
    procedure=None,
    state=DecisionState.OPEN,
    steps=(),
    last_adopted=True,
    opened=None,
    resolution_on=None,
    done_on=None,
    outcome_on=None,
    **fields,
):
    """A decision in `code` on the adopted template's item of `item_procedure` (the full procedure
    when `procedure` says so), its meetings held on the days of `steps` ({step: day}, in order; the
    last one adopted unless `last_adopted` is false), its publications and its implementation."""
    item = adopted_template(code).items.get(procedure=item_procedure)
    made = DecisionFactory(
        division=division(code), item=item, procedure=procedure or item_procedure, state=state, **fields
    )
    steps = dict(steps)
    for number, (step, day) in enumerate(steps.items(), start=1):
        body = Body.TOWN if (procedure or item_procedure) == Procedure.TOWN_REVIEW else BODY_OF_STEP[step]
        adopted = last_adopted or number < len(steps)
        DecisionStepFactory(
            decision=made, step=step, body=body, held_on=day, adopted=adopted, votes_for=5 if adopted else 1
        )
    user = UserFactory()
    if resolution_on:
        Publication.objects.create(
            decision=made, kind=PublicationKind.RESOLUTION, published_on=resolution_on, recorded_by=user
        )
    if done_on:
        Implementation.objects.create(decision=made, done_on=done_on, summary="已实施。", recorded_by=user)
    if outcome_on:
        Publication.objects.create(
            decision=made, kind=PublicationKind.OUTCOME, published_on=outcome_on, recorded_by=user
        )
    if opened:
        Decision.objects.filter(pk=made.pk).update(
            opened_at=timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9)))
        )
    return made


def four_steps(first: datetime.date, *, until=Step.RESOLUTION) -> dict:
    """The four deliberations a week apart from `first`, up to the step `until`."""
    steps = FOUR_STEPS[: FOUR_STEPS.index(until) + 1]
    return {step: first + datetime.timedelta(days=7 * number) for number, step in enumerate(steps)}


# --- 1. Access: every report, every caller, in and out of scope ----------------------------------


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("who", [*ROLES, OUTSIDER, ANONYMOUS])
def test_a_decision_report_answers_each_caller_as_its_scope_and_rights_say(world, slug, who):
    home = w.ROLE_HOME.get(who, w.VILLAGE)
    inside = get(slug, who, division=home, period="2025")
    outside = get(slug, who, division=w.JUST_OUTSIDE.get(who, w.FAR_VILLAGE), period="2025")

    if who == ANONYMOUS:
        assert (inside.status_code, outside.status_code) == (401, 401)
    elif who in (OUTSIDER, "grid_worker"):  # the grid worker's role names no model of this app
        assert (inside.status_code, outside.status_code) == (403, 403)
    else:  # every other role reads decisions (they carry no personal data)
        assert inside.status_code == 200, inside.content[:300]
        assert inside.json()["division"] == home
        assert outside.status_code == 404


@pytest.mark.parametrize("slug", SLUGS)
def test_a_decision_report_covers_the_callers_jurisdiction_and_needs_a_period(world, slug):
    assert get(slug, "village_clerk", period="2025").json()["division"] == w.VILLAGE
    response = get(slug, division=w.TOWN)
    assert response.status_code == 400
    assert "period" in response.json()


def test_the_index_lists_the_decision_reports(world):
    slugs = [row["slug"] for row in client_as("report_reader").get("/api/v1/reports/").json()["results"]]

    assert set(SLUGS) <= set(slugs)


# --- 2. decisions-by-state ----------------------------------------------------------------------


@pytest.fixture
def decisions_of_2025(world):
    """Started in 2025 in 罗村 (its cooperative's counting in it): two open (one with no meeting yet,
    opened in February), one adopted, one closed, one withdrawn, one of the cooperative adopted.
    Not counted: one whose first meeting was in 2024. In 联和: one not adopted. In 九江镇's 下西: one
    implemented."""
    decision(w.VILLAGE, opened=D(2025, 2, 1))
    decision(w.VILLAGE, steps=four_steps(D(2025, 3, 1), until=Step.PROPOSAL))
    decision(w.VILLAGE, state=DecisionState.ADOPTED, steps=four_steps(D(2025, 4, 1)))
    decision(
        w.VILLAGE,
        state=DecisionState.CLOSED,
        steps=four_steps(D(2025, 5, 1)),
        resolution_on=D(2025, 6, 1),
        done_on=D(2025, 7, 1),
        outcome_on=D(2025, 7, 2),
    )
    decision(
        w.VILLAGE,
        state=DecisionState.WITHDRAWN,
        opened=D(2025, 6, 1),
        withdrawn_on=D(2025, 6, 5),
        withdrawal_reason="情况变化。",
        withdrawn_by=UserFactory(),
    )
    decision(w.COOPERATIVE, state=DecisionState.ADOPTED, steps=four_steps(D(2025, 8, 1)))
    decision(w.VILLAGE, state=DecisionState.ADOPTED, steps=four_steps(D(2024, 12, 1)))
    decision(
        w.OTHER_VILLAGE_SAME_TOWN,
        state=DecisionState.NOT_ADOPTED,
        steps=four_steps(D(2025, 9, 1), until=Step.CONSULTATION),
        last_adopted=False,
    )
    decision(
        w.OTHER_TOWN_VILLAGE,
        state=DecisionState.IMPLEMENTED,
        steps=four_steps(D(2025, 1, 10)),
        resolution_on=D(2025, 3, 1),
        done_on=D(2025, 4, 1),
    )


def states(row) -> dict[str, int]:
    return {state: row[state] for state in DecisionState.values if row[state]}


def test_decisions_of_a_town_are_counted_per_village_by_state(decisions_of_2025):
    rows = rows_by_code(get(BY_STATE, division=w.TOWN, period="2025"))

    assert set(rows) == {w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN}
    assert states(rows[w.VILLAGE]) == {"open": 2, "adopted": 2, "closed": 1, "withdrawn": 1}
    assert rows[w.VILLAGE]["total"] == 6
    assert (states(rows[w.OTHER_VILLAGE_SAME_TOWN]), rows[w.OTHER_VILLAGE_SAME_TOWN]["total"]) == (
        {"not_adopted": 1},
        1,
    )


def test_decisions_of_a_district_are_counted_per_town(decisions_of_2025):
    rows = rows_by_code(get(BY_STATE, "district_admin", division=w.DISTRICT, period="2025"))

    assert set(rows) == {w.TOWN, w.OTHER_TOWN}
    assert (rows[w.TOWN]["total"], rows[w.OTHER_TOWN]["total"]) == (7, 1)
    assert states(rows[w.OTHER_TOWN]) == {"implemented": 1}


def test_a_decision_counts_in_the_period_of_its_first_meeting(decisions_of_2025):
    first_quarter = rows_by_code(get(BY_STATE, division=w.TOWN, period="2025-Q1"))[w.VILLAGE]
    of_2024 = rows_by_code(get(BY_STATE, division=w.TOWN, period="2024"))[w.VILLAGE]

    assert states(first_quarter) == {"open": 2}  # opened in February; first met on 1 March
    assert states(of_2024) == {"adopted": 1}


def test_decisions_by_state_come_as_csv_and_xlsx(decisions_of_2025):
    csv_response = get(BY_STATE, division=w.TOWN, period="2025", format="csv")
    xlsx_response = get(BY_STATE, division=w.TOWN, period="2025", format="xlsx")

    assert f"decisions-by-state-{w.TOWN}-2025.csv" in csv_response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert table[0] == ["代码", "名称", *[str(state.label) for state in DecisionState], "合计"]
    assert [w.VILLAGE, "罗村村委会", "2", "0", "2", "0", "0", "1", "1", "6"] in table
    sheet = list(load_workbook(io.BytesIO(xlsx_response.content)).active.iter_rows(values_only=True))
    assert (w.OTHER_VILLAGE_SAME_TOWN, "联和村委会", 0, 1, 0, 0, 0, 0, 0, 1) in sheet


# --- 3. full-procedure-share --------------------------------------------------------------------


@pytest.fixture
def full_procedures(world):
    """Started in 2025 in 罗村, requiring the four deliberations: A adopted at its resolution, B not
    adopted at its resolution, C still at its proposal, D not adopted at the consultation, E a
    committee matter raised to the full procedure by its amount and resolved; and F decided by the
    committee alone. In 联和: one town review only."""
    decision(w.VILLAGE, state=DecisionState.ADOPTED, steps=four_steps(D(2025, 1, 6)))
    decision(w.VILLAGE, state=DecisionState.NOT_ADOPTED, steps=four_steps(D(2025, 2, 3)), last_adopted=False)
    decision(w.VILLAGE, steps=four_steps(D(2025, 3, 3), until=Step.PROPOSAL))
    decision(
        w.VILLAGE,
        state=DecisionState.NOT_ADOPTED,
        steps=four_steps(D(2025, 4, 7), until=Step.CONSULTATION),
        last_adopted=False,
    )
    decision(
        w.VILLAGE,
        item_procedure=Procedure.COMMITTEE,
        procedure=Procedure.FOUR_DELIBERATIONS,
        amount_fen=6_000_000,
        state=DecisionState.ADOPTED,
        steps=four_steps(D(2025, 5, 5)),
    )
    decision(
        w.VILLAGE,
        item_procedure=Procedure.COMMITTEE,
        state=DecisionState.ADOPTED,
        steps={Step.CONSULTATION: D(2025, 6, 2)},
    )
    decision(
        w.OTHER_VILLAGE_SAME_TOWN,
        item_procedure=Procedure.TOWN_REVIEW,
        state=DecisionState.ADOPTED,
        steps={Step.REVIEW: D(2025, 6, 2)},
    )


def test_the_full_procedure_share_counts_the_decisions_that_followed_it_to_their_resolution(full_procedures):
    rows = rows_by_code(get(FULL_SHARE, division=w.TOWN, period="2025"))

    figures = ("decisions", "required", "by_amount", "followed", "under_way", "share")
    assert {key: rows[w.VILLAGE][key] for key in figures} == {
        "decisions": 6,
        "required": 5,
        "by_amount": 1,
        "followed": 3,
        "under_way": 1,
        "share": 60.0,
    }
    other = rows[w.OTHER_VILLAGE_SAME_TOWN]
    assert (other["decisions"], other["required"], other["share"]) == (1, 0, None)


def test_the_full_procedure_share_of_a_district_is_per_town(full_procedures):
    rows = rows_by_code(get(FULL_SHARE, "district_admin", division=w.DISTRICT, period="2025"))

    assert (rows[w.TOWN]["decisions"], rows[w.TOWN]["required"], rows[w.TOWN]["share"]) == (7, 5, 60.0)
    assert rows[w.OTHER_TOWN]["decisions"] == 0


def test_the_full_procedure_share_comes_as_csv_and_xlsx(full_procedures):
    csv_text = get(FULL_SHARE, division=w.TOWN, period="2025", format="csv").content.decode("utf-8-sig")
    xlsx = get(FULL_SHARE, division=w.TOWN, period="2025", format="xlsx").content

    table = list(csv.reader(io.StringIO(csv_text)))
    assert table[0][:4] == ["代码", "名称", "决策数", "须经四议两公开"]
    assert [w.VILLAGE, "罗村村委会", "6", "5", "1", "3", "1", "60.0"] in table
    sheet = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert (w.OTHER_VILLAGE_SAME_TOWN, "联和村委会", 1, 0, 0, 0, 0, None) in sheet


# --- 4. overdue-publications --------------------------------------------------------------------


@pytest.fixture
def publications(world):
    """Judged on 2025-12-31 (PUBLICATION_DUE_DAYS = AT_ONCE_DAYS = 5) in 狮山镇: P adopted on 12-20,
    resolution not published (overdue by 6 days); Q adopted on 12-27 (not yet due); R adopted on
    12-26 (due that very day); S implemented on 07-01 without its outcome (overdue by 178 days); T
    closed; U withdrawn after adoption; V adopted on 11-01, its resolution published only in 2026
    (overdue on 12-31 by 55 days). In 九江镇's 下西: W adopted on 10-01, not published."""
    made = {}
    made["P"] = decision(w.VILLAGE, state=DecisionState.ADOPTED, steps=four_steps(D(2025, 11, 29)))
    made["Q"] = decision(w.VILLAGE, state=DecisionState.ADOPTED, steps=four_steps(D(2025, 12, 6)))
    made["R"] = decision(w.OTHER_VILLAGE_SAME_TOWN, state=DecisionState.ADOPTED, steps=four_steps(D(2025, 12, 5)))
    made["S"] = decision(
        w.COOPERATIVE,
        state=DecisionState.IMPLEMENTED,
        steps=four_steps(D(2025, 5, 1)),
        resolution_on=D(2025, 5, 25),
        done_on=D(2025, 7, 1),
    )
    made["T"] = decision(
        w.VILLAGE,
        state=DecisionState.CLOSED,
        steps=four_steps(D(2025, 1, 6)),
        resolution_on=D(2025, 2, 1),
        done_on=D(2025, 3, 1),
        outcome_on=D(2025, 3, 2),
    )
    made["U"] = decision(
        w.VILLAGE,
        state=DecisionState.WITHDRAWN,
        steps=four_steps(D(2025, 6, 2)),
        withdrawn_on=D(2025, 8, 1),
        withdrawal_reason="项目取消。",
        withdrawn_by=UserFactory(),
    )
    made["V"] = decision(
        w.VILLAGE,
        state=DecisionState.RESOLUTION_PUBLISHED,
        steps=four_steps(D(2025, 10, 11)),
        resolution_on=D(2026, 1, 5),
    )
    made["W"] = decision(w.OTHER_TOWN_VILLAGE, state=DecisionState.ADOPTED, steps=four_steps(D(2025, 9, 10)))
    return made


def overdue(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:500]
    return [(row["decision"], row["kind"], row["due_on"], row["days_overdue"]) for row in results_of(response)]


def test_overdue_publications_are_the_resolutions_and_outcomes_missing_past_their_day(publications):
    made = publications

    rows = overdue(get(OVERDUE, division=w.TOWN, period="2025"))

    assert PUBLICATION_DUE_DAYS == 5
    assert rows == [
        (made["V"].pk, "resolution", "2025-11-06", 55),
        (made["P"].pk, "resolution", "2025-12-25", 6),
        (made["S"].pk, "outcome", "2025-07-06", 178),
    ]


def test_overdue_publications_are_judged_on_the_periods_last_day(publications):
    made = publications

    rows = overdue(get(OVERDUE, division=w.TOWN, period="2025-Q3"))

    # On 30 September, S's outcome was late; P, Q, R and V had not been adopted yet.
    assert rows == [(made["S"].pk, "outcome", "2025-07-06", 86)]


def test_overdue_publications_of_a_village_clerk_are_their_villages_and_its_cooperatives(publications):
    made = publications

    rows = overdue(get(OVERDUE, "village_clerk", period="2025"))

    assert [row[0] for row in rows] == [made["V"].pk, made["P"].pk, made["S"].pk]
    assert made["W"].pk in [
        row[0] for row in overdue(get(OVERDUE, "district_admin", division=w.DISTRICT, period="2025"))
    ]


def test_overdue_publications_come_as_csv_and_xlsx(publications):
    made = publications
    csv_response = get(OVERDUE, division=w.TOWN, period="2025", format="csv")
    sheet = list(
        load_workbook(io.BytesIO(get(OVERDUE, division=w.TOWN, period="2025", format="xlsx").content)).active.iter_rows(
            values_only=True
        )
    )

    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert table[0][:6] == ["代码", "决策单位", "决策编号", "决策事项", "清单事项", "公开类别代码"]
    p_row = next(row for row in table[1:] if row[2] == str(made["P"].pk))
    assert p_row[0] == w.VILLAGE and p_row[5:] == [
        "resolution",
        "决议公开",
        "2025-12-20",
        "2025-12-25",
        "2025-12-31",
        "6",
    ]
    assert sheet[-1][0] == w.COOPERATIVE and sheet[-1][6:] == (
        "实施结果公开",
        "2025-07-01",
        "2025-07-06",
        "2025-12-31",
        178,
    )


# --- 5. Pinned query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_a_decision_reports_query_count_does_not_grow_with_the_decisions(world, slug):
    url, params = reverse(f"api:report-{slug}"), {"division": w.TOWN, "period": "2025"}
    decision(w.VILLAGE, state=DecisionState.ADOPTED, steps=four_steps(D(2025, 3, 3)))
    few, _rows = queries_and_rows(client_as("town_official"), url, params)
    for code in (w.VILLAGE, w.COOPERATIVE, w.OTHER_VILLAGE_SAME_TOWN):
        for month in (4, 5, 6):
            decision(code, state=DecisionState.ADOPTED, steps=four_steps(D(2025, month, 2)))

    many, rows = queries_and_rows(client_as("town_official"), url, params)

    # The caller's grants, the division, the figures and (but for the list of publications) the villages.
    assert few == many == (3 if slug == OVERDUE else 4)
    if slug == OVERDUE:
        assert rows == 10
