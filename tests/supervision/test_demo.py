"""The supervision part of the Nanhai demo (supervision/demo/): a 2026 scheme of 狮山镇 with
entered scores and a finished run, and the village clerk's village's disclosure catalogue.

The demo is loaded once for the module, with villages' load and this app's step only (the other
apps' steps have their own tests), in a transaction rolled back when it is done."""

from django.urls import reverse

from governance.testing.api import results_of
from supervision.choices import CENTRAL_WORK, Cadence, EvaluatingBody, RunState, carries_largest_weight
from supervision.demo.assessment import ENTERED_CODES
from supervision.models import DisclosureItem, DutyReportEvaluation, Result, Scheme, ScoreEntry
from villages.demo.plan import DEMO_VILLAGE_CODE, TOWN_CODE
from villages.models import Division, Level


def test_the_demo_has_a_2026_scheme_of_the_town_scored_by_a_finished_run(demo):
    scheme = Scheme.objects.get(division_id=TOWN_CODE, period="2026", level=Level.VILLAGE)
    villages = Division.objects.filter(code__startswith=TOWN_CODE, level=Level.VILLAGE).count()

    assert sum(indicator.weight for indicator in scheme.indicators.all()) == 100
    assert scheme.scored_run.state == RunState.DONE
    assert Result.objects.filter(run=scheme.scored_run).count() == scheme.scored_run.total == villages
    assert ScoreEntry.objects.filter(scheme=scheme).count() == villages * len(ENTERED_CODES)


def test_the_demo_records_every_villages_duty_report_votes_and_scores_them(demo):
    scheme = Scheme.objects.get(division_id=TOWN_CODE, period="2026", level=Level.VILLAGE)
    villages = Division.objects.filter(code__startswith=TOWN_CODE, level=Level.VILLAGE).count()

    evaluations = DutyReportEvaluation.objects.filter(period="2026", unit__code__startswith=TOWN_CODE)
    assert evaluations.filter(unit__level=Level.VILLAGE).count() == villages
    duty_scores = [result.scores["duty_report"] for result in Result.objects.filter(run=scheme.scored_run)]
    assert len(duty_scores) == villages and all(60 <= score <= 100 for score in duty_scores)


def test_the_demo_s_results_are_read_by_the_town_official_through_the_api(demo):
    from django.contrib.auth import get_user_model

    from governance.testing.schema import SchemaCheckedAPIClient as APIClient

    scheme = Scheme.objects.get(division_id=TOWN_CODE, period="2026", level=Level.VILLAGE)
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="town_official"))

    rows = results_of(client.get(reverse("api:scheme-results", args=[scheme.pk]), {"page_size": 1000}))

    assert rows[0]["rank"] == 1
    assert {row["grade"] for row in rows} <= {"excellent", "good", "pass", "fail"}


def test_the_demo_village_has_a_catalogue_of_every_cadence(demo):
    cadences = set(DisclosureItem.objects.filter(division_id=DEMO_VILLAGE_CODE).values_list("cadence", flat=True))

    assert cadences == set(Cadence.values)


# --- cooperatives (issue 15) ------------------------------------------------------------------------


def test_the_demo_has_a_cooperative_scheme_chiefly_on_central_work_scored_for_every_cooperative(demo):
    scheme = Scheme.objects.get(division_id=TOWN_CODE, period="2026", level=Level.COOPERATIVE)
    cooperatives = Division.objects.filter(code__startswith=TOWN_CODE, level=Level.COOPERATIVE).count()
    weights = {indicator.code: indicator.weight for indicator in scheme.indicators.all()}

    assert sum(weights.values()) == 100
    assert carries_largest_weight(weights, CENTRAL_WORK)
    assert scheme.scored_run.state == RunState.DONE
    assert Result.objects.filter(run=scheme.scored_run).count() == cooperatives


def test_the_demo_villages_cooperatives_duty_reports_are_evaluated_by_the_village(demo):
    cooperatives = Division.objects.filter(code__startswith=DEMO_VILLAGE_CODE, level=Level.COOPERATIVE).count()
    evaluations = DutyReportEvaluation.objects.filter(period="2026", unit__code__startswith=DEMO_VILLAGE_CODE).exclude(
        unit_id=DEMO_VILLAGE_CODE
    )

    assert evaluations.count() == cooperatives > 0
    assert {evaluation.evaluated_by_body for evaluation in evaluations} == {EvaluatingBody.VILLAGE_PARTY_ORGANISATION}
    assert {evaluation.recorded_by.username for evaluation in evaluations} == {"village_clerk"}


def test_the_party_share_of_the_towns_cooperatives_reaches_the_target_in_some_and_not_in_others(demo):
    from django.contrib.auth import get_user_model

    from governance.testing.schema import SchemaCheckedAPIClient as APIClient

    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="town_official"))

    response = client.get(reverse("api:report-party-share"), {"per": "cooperative", "on": "2023-12-31"})
    now = client.get(reverse("api:report-party-share"))

    assert response.status_code == now.status_code == 200
    rows = results_of(response)
    assert rows and all(row["baseline_members"] > 0 for row in rows)
    assert {row["target_met"] for row in rows} >= {True, False}
    assert {row["code"] for row in results_of(now)} == set(
        Division.objects.filter(code__startswith=TOWN_CODE, level=Level.VILLAGE, retired_on__isnull=True).values_list(
            "code", flat=True
        )
    )
