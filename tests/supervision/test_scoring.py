"""Scoring a scheme (DESIGN.md section 7, results): totals, thresholds, the excellent quota per
town with ties at the cut, ranks with ties, missing entries, idempotent re-runs, a chunk that
fails then retries, and frozen schemes. The towns here are not the shared world's, so each holds
exactly the villages a test makes. Dates are fixed (period 2025), so the tests pass on any day."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from supervision.choices import ChunkState, Grade, RunState
from supervision.models import Result, ScoringRun
from supervision.services import scoring as services
from supervision.services.actions import SupervisionAction
from supervision.services.indicators import computed_indicators
from supervision.testing.factories import enter, scheme
from villages.testing.factories import division

D = datetime.date
DISTRICT = "440605"
TOWN = "440605125"
SECOND_TOWN = "440605126"
TODAY = D(2026, 3, 1)


@pytest.fixture
def admin(world):
    return world.user("district_admin")


def villages(town: str, count: int) -> list[str]:
    return [division(f"{town}{n:03d}").code for n in range(1, count + 1)]


def run_now(made, user, capture, today=TODAY) -> ScoringRun:
    with capture(execute=True):
        run = services.request_run(made, acting_user=user, today=today)
    run.refresh_from_db()
    return run


def results(made) -> dict[str, Result]:
    made.refresh_from_db()
    return {row.unit_id: row for row in Result.objects.filter(run_id=made.scored_run_id)}


def scored(totals: list, share: int = 20, town: str = TOWN, **fields) -> dict[str, Result]:
    """A one-indicator scheme whose units score `totals` (in order), scored; results by unit."""
    units = villages(town, len(totals))
    made = scheme(town, excellent_share=share, **fields)
    for unit, total in zip(units, totals, strict=True):
        enter(made, unit, "work", total)
    return made, units


@pytest.fixture
def score(admin, django_capture_on_commit_callbacks):
    def scorer(made):
        run = run_now(made, admin, django_capture_on_commit_callbacks)
        assert run.state == RunState.DONE, run.errors
        return results(made)

    return scorer


def test_a_total_is_the_sum_of_weight_times_score_over_100_rounded_half_up_to_2_decimals(score):
    (unit,) = villages(TOWN, 1)
    made = scheme(TOWN, indicators=(("a", 33, "entered"), ("b", 67, "entered")))
    enter(made, unit, "a", "50.01")  # 33 × 50.01 = 1650.33
    enter(made, unit, "b", "0.5")  # 67 × 0.5 = 33.5: 1683.83 / 100 = 16.8383

    assert score(made)[unit].total == Decimal("16.84")


def test_a_total_of_exactly_half_a_cent_rounds_up(score):
    (unit,) = villages(TOWN, 1)
    made = scheme(TOWN, indicators=(("a", 1, "entered"), ("b", 99, "entered")))
    enter(made, unit, "a", "0.5")  # 1 × 0.5 / 100 = 0.005
    enter(made, unit, "b", "0")

    assert score(made)[unit].total == Decimal("0.01")


def test_grades_follow_the_thresholds_each_lowest_total_included(score):
    made, units = scored(["90", "89.99", "80", "79.99", "60", "59.99"], share=100)

    graded = score(made)

    assert [graded[unit].grade for unit in units] == [
        Grade.EXCELLENT,
        Grade.GOOD,
        Grade.GOOD,
        Grade.PASS,
        Grade.PASS,
        Grade.FAIL,
    ]


def test_at_most_the_quota_of_a_towns_units_are_excellent_the_highest_totals_keeping_it(score):
    # 10 units, 20%: ⌊10 × 20 / 100⌋ = 2 excellent; three reach 90.
    made, units = scored(["95", "94", "93", *["50"] * 7], share=20)

    graded = score(made)

    assert [graded[unit].grade for unit in units[:3]] == [Grade.EXCELLENT, Grade.EXCELLENT, Grade.GOOD]


def test_units_tied_at_the_cut_that_would_overrun_the_quota_are_all_graded_good(score):
    made, units = scored(["95", "93", "93", *["50"] * 7], share=20)

    graded = score(made)

    assert [graded[unit].grade for unit in units[:3]] == [Grade.EXCELLENT, Grade.GOOD, Grade.GOOD]


def test_the_quota_rounds_down_so_a_small_town_may_have_no_excellent_unit(score):
    # 4 units, 20%: ⌊0.8⌋ = 0.
    made, units = scored(["99", "98", "50", "50"], share=20)

    graded = score(made)

    assert {graded[unit].grade for unit in units[:2]} == {Grade.GOOD}


def test_ranks_within_a_town_share_a_rank_when_tied(score):
    made, units = scored(["95", "93", "93", "80"])

    graded = score(made)

    assert [graded[unit].rank for unit in units] == [1, 2, 2, 4]


def test_a_district_scheme_ranks_and_applies_the_quota_within_each_town(score):
    first = villages(TOWN, 5)
    second = villages(SECOND_TOWN, 5)
    made = scheme(DISTRICT, excellent_share=20)  # 1 excellent per town of 5
    for unit, total in zip(first + second, ["99", "98", "10", "10", "10", "92", "91", "10", "10", "10"], strict=True):
        enter(made, unit, "work", total)

    graded = score(made)

    excellent = {unit for unit, row in graded.items() if row.grade == Grade.EXCELLENT}
    assert {first[0], second[0]} <= excellent
    assert first[1] not in excellent and second[1] not in excellent
    assert graded[second[0]].rank == 1 and graded[second[0]].town_id == SECOND_TOWN


def test_a_missing_entry_counts_0_and_is_listed_as_missing(score):
    (unit,) = villages(TOWN, 1)
    made = scheme(TOWN, indicators=(("a", 40, "entered"), ("b", 60, "entered")))
    enter(made, unit, "a", "100")

    row = score(made)[unit]

    assert row.total == Decimal("40.00")
    assert row.missing == ["b"]
    assert row.scores == {"a": 100, "b": 0}


def test_a_cooperative_scheme_scores_every_cooperative_of_its_division_and_nothing_else(score):
    villages(TOWN, 1)
    coops = [division(f"{TOWN}001{n:03d}").code for n in (1, 2)]
    made = scheme(TOWN, level="cooperative")

    assert set(score(made)) == set(coops)


def test_a_re_run_gives_the_same_results_and_replaces_the_earlier_run_s(score):
    made, units = scored(["95", "93", "93", "80"])
    first = {unit: (row.total, row.grade, row.rank, row.scores) for unit, row in score(made).items()}
    first_run = made.scored_run_id

    second = {unit: (row.total, row.grade, row.rank, row.scores) for unit, row in score(made).items()}

    assert second == first
    assert made.scored_run_id != first_run
    assert not Result.objects.filter(run_id=first_run).exists()


def test_a_re_run_after_a_changed_entry_replaces_every_result_at_once(score):
    made, units = scored(["95", "93"])
    score(made)
    enter(made, units[1], "work", "99")

    graded = score(made)

    assert [graded[unit].rank for unit in units] == [2, 1]
    assert Result.objects.filter(run__scheme=made).count() == 2


def test_a_chunk_that_fails_is_retried_and_writes_the_same_rows_once(
    score, admin, monkeypatch, django_capture_on_commit_callbacks
):
    first = villages(TOWN, 3)
    villages(SECOND_TOWN, 2)
    made = scheme(DISTRICT)
    for unit, total in zip(first, ["95", "93", "93"], strict=True):
        enter(made, unit, "work", total)
    clean = {unit: (row.total, row.grade, row.rank) for unit, row in score(made).items()}
    real = services._chunk_sql
    failures = []

    def failing_once(indicators):
        if not failures:
            failures.append(1)
            raise RuntimeError("worker lost its database connection")
        return real(indicators)

    monkeypatch.setattr(services, "_chunk_sql", failing_once)

    run = run_now(made, admin, django_capture_on_commit_callbacks)

    assert run.state == RunState.DONE
    assert [error["error"] for error in run.errors] == ["worker lost its database connection"]
    assert not run.chunks.exclude(state=ChunkState.DONE).exists()
    assert {unit: (row.total, row.grade, row.rank) for unit, row in results(made).items()} == clean
    assert Result.objects.filter(run=run).count() == run.total == len(clean)


def test_a_chunk_scored_again_after_a_lost_worker_writes_the_same_rows_none_twice(admin):
    made, units = scored(["95", "93"])
    run = services.request_run(made, acting_user=admin, today=TODAY)  # its task waits for the commit
    (chunk,) = run.chunks.all()
    services.score_chunk(chunk.pk)
    run.chunks.update(state=ChunkState.QUEUED)  # as if the worker died before acknowledging

    services.score_chunk(chunk.pk)

    assert Result.objects.filter(run=run).count() == 2


def test_towns_are_cut_into_chunks_of_whole_towns_of_at_least_the_chunk_size_but_the_last():
    towns = [("440605121", 3), ("440605122", 1), ("440605123", 7), ("440605124", 2), ("440605125", 1)]

    assert services.chunks_of_towns(towns, 4) == [
        ("440605121", "440605122", 2, 4),
        ("440605123", "440605123", 1, 7),
        ("440605124", "440605125", 2, 3),
    ]
    assert services.chunks_of_towns(towns, 100) == [("440605121", "440605125", 5, 14)]
    assert services.chunks_of_towns(towns, 1) == [(town, town, 1, units) for town, units in towns]
    assert services.chunks_of_towns([], 4) == []


def test_a_run_gives_the_same_quota_and_ranks_per_town_however_many_towns_a_chunk_holds(
    admin, settings, django_capture_on_commit_callbacks
):
    """Town one's 5 units may have 1 excellent, town two's 4 units none (⌊4 × 20 / 100⌋ = 0),
    whether each town is a chunk of its own, or both are scored in one statement."""
    first, second = villages(TOWN, 5), villages(SECOND_TOWN, 4)
    made = scheme(DISTRICT, excellent_share=20)
    for unit, total in zip(first + second, ["95", "93", "93", "80", "50", "99", "91", "91", "60"], strict=True):
        enter(made, unit, "work", total)
    by_chunk_size = {}
    for chunk_units in (1, 3, 1000):
        settings.SCORING_CHUNK_UNITS = chunk_units
        run = run_now(made, admin, django_capture_on_commit_callbacks)
        assert run.state == RunState.DONE, run.errors
        by_chunk_size[chunk_units] = (
            run.chunks.count(),
            {unit: (row.town_id, row.grade, row.rank) for unit, row in results(made).items() if unit in first + second},
        )

    (one_town_chunks, one_town), (_, three_units), (all_chunks, all_at_once) = by_chunk_size.values()
    assert all_chunks == 1 < one_town_chunks
    assert one_town == three_units == all_at_once
    assert [all_at_once[unit] for unit in first + second] == [
        (TOWN, Grade.EXCELLENT, 1),
        (TOWN, Grade.GOOD, 2),
        (TOWN, Grade.GOOD, 2),
        (TOWN, Grade.GOOD, 4),
        (TOWN, Grade.FAIL, 5),
        (SECOND_TOWN, Grade.GOOD, 1),
        (SECOND_TOWN, Grade.GOOD, 2),
        (SECOND_TOWN, Grade.GOOD, 2),
        (SECOND_TOWN, Grade.PASS, 4),
    ]


def test_a_chunk_failing_every_retry_fails_the_run_and_keeps_the_earlier_results(
    score, admin, monkeypatch, django_capture_on_commit_callbacks
):
    made, units = scored(["95", "93"])
    score(made)
    kept_run = made.scored_run_id

    def failing(indicators):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_chunk_sql", failing)

    run = run_now(made, admin, django_capture_on_commit_callbacks)

    assert run.state == RunState.FAILED
    assert len(run.errors) == 4  # the first try and CHUNK_RETRIES retries
    made.refresh_from_db()
    assert made.scored_run_id == kept_run
    assert Result.objects.filter(run_id=kept_run).count() == 2


def test_a_run_counts_its_units_and_the_done_ones(score, admin, django_capture_on_commit_callbacks):
    made, units = scored(["95", "93", "50"])

    run = run_now(made, admin, django_capture_on_commit_callbacks)

    assert (run.total, services.done_units(run)) == (3, 3)


def test_a_frozen_scheme_refuses_entries_and_runs(score, admin):
    made, units = scored(["95"])
    score(made)
    services.freeze_scheme(made, acting_user=admin)

    with pytest.raises(services.SchemeFrozen):
        services.save_entries(made, [{"unit": units[0], "indicator": "work", "score": 1}], acting_user=admin)
    with pytest.raises(services.SchemeFrozen):
        services.request_run(made, acting_user=admin, today=TODAY)
    with pytest.raises(services.SchemeFrozen):
        services.freeze_scheme(made, acting_user=admin)


def test_a_scheme_not_yet_scored_cannot_be_frozen(admin):
    made, units = scored(["95"])

    with pytest.raises(ValidationError) as refused:
        services.freeze_scheme(made, acting_user=admin)

    assert "scheme" in refused.value.message_dict


def test_scoring_tasks_acknowledge_late_are_redelivered_when_their_worker_is_lost_and_store_no_result():
    from supervision.tasks import score_chunk_task, score_run_task

    for task in (score_run_task, score_chunk_task):
        assert (task.acks_late, task.reject_on_worker_lost, task.ignore_result) == (True, True, True)


def test_entries_and_runs_are_audited_under_the_action_that_wrote_them(admin, django_capture_on_commit_callbacks):
    from pghistory.models import Events

    made, units = scored(["95"])
    services.save_entries(made, [{"unit": units[0], "indicator": "work", "score": 70}], acting_user=admin)
    run = run_now(made, admin, django_capture_on_commit_callbacks)

    actions = {
        (event.pgh_model, (event.pgh_context or {}).get("action"))
        for event in Events.objects.filter(pgh_model__in=["supervision.ScoreEntryEvent", "supervision.ResultEvent"])
    }
    assert ("supervision.ScoreEntryEvent", SupervisionAction.SAVE_ENTRIES) in actions
    assert ("supervision.ResultEvent", SupervisionAction.SCORE_CHUNK) in actions
    assert run.state == RunState.DONE


def test_each_computed_indicator_is_computed_once_per_chunk_whatever_the_statistics(admin):
    """Every computed indicator of a village scheme is a CTE of the chunk's statement, so that
    PostgreSQL computes it once: as a subquery joined per cell, a chunk scored in the transaction
    that loaded its data (no statistics) ran each aggregate again per cell (234 s for 84 villages)."""
    villages(TOWN, 2)
    codes = sorted(code for code, indicator in computed_indicators().items() if "village" in indicator.levels)
    weights = [100 - len(codes) + 1] + [1] * (len(codes) - 1)
    made = scheme(TOWN, indicators=tuple((code, weight, code) for code, weight in zip(codes, weights, strict=True)))
    run = services.request_run(made, acting_user=admin, today=TODAY, dispatch=False)
    chunk = run.chunks.get()

    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (FORMAT JSON) " + services._chunk_sql(list(made.indicators.all())),
            services._chunk_parameters(chunk, run, made),
        )
        plan = cursor.fetchone()[0]

    def subplans(node):
        yield node.get("Subplan Name")
        for child in node.get("Plans", ()):
            yield from subplans(child)

    computed_once = {name for name in subplans(plan[0]["Plan"]) if name and name.startswith("CTE computed_")}
    assert len(codes) >= 10 and computed_once == {f"CTE computed_{number}" for number in range(len(codes))}
