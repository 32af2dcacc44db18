"""Assessment (绩效考核): schemes, entered scores, scoring runs and freezing; one function per
action, atomic, with the acting user (the errors: field-level ValidationErrors, RowErrors for a
batch, PermissionDenied, or SchemeFrozen for a scheme whose results are frozen, the API's 409).

Scoring (DESIGN.md section 7, results): a run is split into chunks of whole towns (a town's quota
and ranks are its own); each chunk is one INSERT ... SELECT computing every unit's indicators,
total, grade and rank in SQL. A chunk deletes and rewrites its own rows in one transaction, so a
retried or redelivered chunk writes the same rows, none twice. When the last chunk is done, the
scheme's `scored_run` moves to the run and the older runs' results are deleted, in one
transaction: readers see the old results or the new ones, never a mix.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import clock
from governance.access.querysets import holds_in, jurisdiction_codes
from governance.audit import acting_as, keep_audit_triggers_linear
from governance.celery import app, require_queue, send_after_commit
from governance.guards import require_permission_at
from supervision.choices import (
    CENTRAL_WORK,
    ENTERED,
    MAX_SCORE,
    MIN_SCORE,
    SCHEME_LEVELS,
    SCORE_PLACES,
    WEIGHT_TOTAL,
    ChunkState,
    Grade,
    RunState,
    UnitLevel,
    carries_largest_weight,
    weighted_total_sql,
)
from supervision.models import Result, Scheme, SchemeIndicator, ScoreEntry, ScoringChunk, ScoringRun
from supervision.services.actions import RowErrors, SupervisionAction, parse_period
from supervision.services.indicators import computed_indicators
from villages.choices import CODE_LENGTH_BY_LEVEL, Level
from villages.models import Division

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AbstractBaseUser

# The Celery task that sends a run's chunks (supervision.tasks.score_run_task, its registered name).
SCORE_RUN_TASK = "supervision.tasks.score_run_task"
TOWN_CODE_LENGTH = CODE_LENGTH_BY_LEVEL[Level.TOWN]


class SchemeFrozen(Exception):
    """The scheme's results are frozen: entries and runs are refused (the API's 409)."""

    def __init__(self, scheme: Scheme):
        super().__init__(_("考核方案“%(name)s”已冻结，不能再录入或计算。") % {"name": scheme.name})


def _score(value, field: str = "score") -> Decimal:
    """A score between 0 and 100 with at most 2 decimals; a ValidationError naming `field` otherwise."""
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("请输入 0 至 100 之间的分数。")}) from None
    if isinstance(value, bool) or not score.is_finite() or not MIN_SCORE <= score <= MAX_SCORE:
        raise ValidationError({field: _("请输入 0 至 100 之间的分数。")})
    if score != score.quantize(Decimal(1).scaleb(-SCORE_PLACES)):
        raise ValidationError({field: _("分数最多保留两位小数。")})
    return score


# --- schemes -----------------------------------------------------------------------------------


def units_of(scheme: Scheme, on: datetime.date | None = None):
    """The divisions a scheme assesses: every unit of its level in its division, not retired by
    `on` (the run's counting day)."""
    units = Division.objects.filter(level=scheme.level, code__startswith=scheme.division_id)
    if on is not None:
        units = units.exclude(retired_on__lte=on)
    return units


def _indicator_rows(level: str, indicators) -> list[SchemeIndicator]:
    if not isinstance(indicators, (list, tuple)) or not indicators:
        raise ValidationError({"indicators": _("请至少设置一项考核指标。")})
    errors: dict[int, dict[str, list[str]]] = {}
    rows: list[SchemeIndicator] = []
    seen: set[str] = set()
    for index, row in enumerate(indicators):
        row_errors: dict[str, list[str]] = {}
        if not isinstance(row, dict):
            errors[index] = {"non_field_errors": [_("每项指标应包含 code、name、weight 和 source。")]}
            continue
        code = str(row.get("code") or "").strip()
        name = str(row.get("name") or "").strip()
        source = str(row.get("source") or ENTERED).strip()
        weight = row.get("weight")
        if not code or len(code) > 40:
            row_errors["code"] = [_("请填写不超过40个字符的指标代码。")]
        elif code in seen:
            row_errors["code"] = [_("指标代码重复。")]
        seen.add(code)
        if not name or len(name) > 200:
            row_errors["name"] = [_("请填写不超过200个字符的指标名称。")]
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
            row_errors["weight"] = [_("权重应为正整数。")]
        if source != ENTERED:
            computed = computed_indicators().get(source)
            if computed is None:
                row_errors["source"] = [_("来源应为 entered 或系统计算的指标代码。")]
            elif level not in computed.levels:
                row_errors["source"] = [_("该计算指标不适用于此考核对象。")]
        if row_errors:
            errors[index] = row_errors
        else:
            rows.append(SchemeIndicator(code=code, name=name, weight=weight, source=source, position=index))
    if errors:
        raise RowErrors("indicators", errors)
    total = sum(row.weight for row in rows)
    if total != WEIGHT_TOTAL:
        raise ValidationError({"indicators": _("各项指标权重之和应为100，现为%(total)d。") % {"total": total}})
    weights = {row.code: row.weight for row in rows}
    if level == UnitLevel.COOPERATIVE and not carries_largest_weight(weights, CENTRAL_WORK):
        raise ValidationError(
            {
                "indicators": _(
                    "经济社考核以中心工作为主：应设指标代码为 %(code)s 的中心工作指标，且其权重高于其他各项指标。"
                )
                % {"code": CENTRAL_WORK}
            }
        )
    return rows


def _grades(grades) -> tuple[Decimal, Decimal, Decimal]:
    if not isinstance(grades, dict):
        raise ValidationError({"grades": _("请填写 excellent、good 和 pass 三个等次的最低分。")})
    values = []
    for key in (Grade.EXCELLENT, Grade.GOOD, Grade.PASS):
        if grades.get(key) is None:
            raise ValidationError({"grades": _("请填写 excellent、good 和 pass 三个等次的最低分。")})
        values.append(_score(grades[key], "grades"))
    excellent, good, passing = values
    if not excellent >= good >= passing:
        raise ValidationError({"grades": _("等次最低分应为优秀不低于良好、良好不低于合格。")})
    return excellent, good, passing


def may_create_scheme(user, division: Division) -> bool:
    return holds_in(user, "supervision.add_scheme", division.code)


def create_scheme(
    *,
    acting_user: AbstractBaseUser,
    division: Division,
    level: str,
    period: str,
    name: str,
    indicators: Sequence[dict],
    grades: dict,
    excellent_share: int,
    community_workers: bool = False,
) -> Scheme:
    """A new scheme of a town or the district (the next version for its division, level and
    period): indicators with whole-number weights summing to exactly 100 (a cooperative scheme's
    central work the heaviest, CENTRAL_WORK), grade thresholds and the share of excellent units
    per town. A scheme of villages may assess community workers (`community_workers`): one whose
    residents' satisfaction is not the heaviest is kept and says so (Scheme.warnings)."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.CREATE_SCHEME):
        require_permission_at(acting_user, "supervision.add_scheme", division.code)
        if division.level not in SCHEME_LEVELS:
            raise ValidationError({"division": _("考核方案由镇（街道）或区制定。")})
        if level not in UnitLevel.values:
            raise ValidationError({"level": _("考核对象应为 village 或 cooperative。")})
        label = parse_period(period).label
        name = (name or "").strip()
        if not name:
            raise ValidationError({"name": _("请填写方案名称。")})
        if isinstance(excellent_share, bool) or not isinstance(excellent_share, int) or not 0 <= excellent_share <= 100:
            raise ValidationError({"excellent_share": _("优秀比例应为 0 至 100 之间的整数。")})
        if not isinstance(community_workers, bool):
            raise ValidationError({"community_workers": _("community_workers 应为 true 或 false。")})
        if community_workers and level != UnitLevel.VILLAGE:
            raise ValidationError({"community_workers": _("考核社区工作者的方案，考核对象应为村（社区）。")})
        excellent, good, passing = _grades(grades)
        rows = _indicator_rows(level, indicators)
        versions = Scheme.objects.select_for_update().filter(division=division, level=level, period=label)
        if versions.filter(frozen_at__isnull=False).exists():
            raise ValidationError({"period": _("该期间的考核方案已冻结，不能再制定新版本。")})
        version = (versions.aggregate(latest=Max("version"))["latest"] or 0) + 1
        scheme = Scheme.objects.create(
            division=division,
            level=level,
            period=label,
            version=version,
            name=name,
            excellent_from=excellent,
            good_from=good,
            pass_from=passing,
            excellent_share=excellent_share,
            community_workers=community_workers,
            created_by=acting_user,
        )
        for row in rows:
            row.scheme = scheme
        SchemeIndicator.objects.bulk_create(rows)
        return scheme


def _lock_unfrozen(scheme: Scheme) -> Scheme:
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.is_frozen:
        raise SchemeFrozen(scheme)
    return scheme


# --- entries -----------------------------------------------------------------------------------


def may_enter_scores(user, scheme: Scheme) -> bool:
    """Whether the user enters scores for some unit of the scheme (a town official for the units
    of their town, the district for all)."""
    return not scheme.is_frozen and (
        user.is_superuser
        or any(
            code.startswith(scheme.division_id) or scheme.division_id.startswith(code)
            for code in jurisdiction_codes(user, "supervision.add_scoreentry")
        )
    )


def save_entries(scheme: Scheme, entries: Sequence[dict], *, acting_user: AbstractBaseUser) -> list[ScoreEntry]:
    """Save all the entries or none: each `{"unit": code, "indicator": code, "score": 0-100}`. A
    bad row (a score out of range, a unit outside the scheme or the caller's jurisdiction, an
    indicator that is not entered) is named by its index. A later entry for the same unit and
    indicator replaces the earlier one, in the batch and in the database."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.SAVE_ENTRIES):
        scheme = _lock_unfrozen(scheme)
        if not may_enter_scores(acting_user, scheme):
            raise PermissionDenied(_("您无权为该方案录入得分。"))
        if not isinstance(entries, (list, tuple)) or not entries:
            raise ValidationError({"entries": _("请至少提交一条得分。")})
        indicators = {indicator.code: indicator for indicator in scheme.indicators.all()}
        codes = {str(row.get("unit")) for row in entries if isinstance(row, dict)}
        units = set(units_of(scheme).filter(code__in=codes).values_list("code", flat=True))
        errors: dict[int, dict[str, list[str]]] = {}
        kept: dict[tuple[str, int], ScoreEntry] = {}
        for index, row in enumerate(entries):
            if not isinstance(row, dict):
                errors[index] = {"non_field_errors": [_("每条得分应包含 unit、indicator 和 score。")]}
                continue
            row_errors: dict[str, list[str]] = {}
            unit = str(row.get("unit") or "")
            if unit not in units:
                row_errors["unit"] = [_("该单位不在本方案的考核范围内。")]
            elif not holds_in(acting_user, "supervision.add_scoreentry", unit):
                row_errors["unit"] = [_("您无权为该单位录入得分。")]
            indicator = indicators.get(str(row.get("indicator") or ""))
            if indicator is None:
                row_errors["indicator"] = [_("本方案没有该指标。")]
            elif not indicator.is_entered:
                row_errors["indicator"] = [_("该指标由系统计算，不能录入。")]
            try:
                score = _score(row.get("score"))
            except ValidationError as error:
                row_errors.update(error.message_dict)
            if row_errors:
                errors[index] = row_errors
                continue
            kept[(unit, indicator.pk)] = ScoreEntry(
                scheme=scheme, unit_id=unit, indicator=indicator, score=score, entered_by=acting_user
            )
        if errors:
            raise RowErrors("entries", errors)
        return ScoreEntry.objects.bulk_create(
            kept.values(),
            update_conflicts=True,
            unique_fields=["scheme", "unit", "indicator"],
            update_fields=["score", "entered_by", "entered_at"],
        )


# --- scoring -----------------------------------------------------------------------------------


def may_score(user, scheme: Scheme) -> bool:
    return not scheme.is_frozen and holds_in(user, "supervision.score_scheme", scheme.division_id)


def request_run(
    scheme: Scheme, *, acting_user: AbstractBaseUser, today: datetime.date | None = None, dispatch: bool = True
) -> ScoringRun:
    """Queue a run of the scheme: its units, counted on the period's last day or `today` while
    the period runs, cut into chunks of whole towns (chunks_of_towns). The task starts once this
    commits (eagerly, in-process, without a broker); `dispatch=False` sends no task (score_now
    scores it in the caller's transaction)."""
    today = today or clock.today()
    if dispatch:
        # Before anything is written: with the broker down the request is refused and retried
        # later, never a run left queued with nobody told (governance.celery.QueueUnavailable).
        require_queue()
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.REQUEST_RUN):
        scheme = _lock_unfrozen(scheme)
        require_permission_at(acting_user, "supervision.score_scheme", scheme.division_id)
        counting_day = scheme.period_range.counting_day(today)
        towns = (
            units_of(scheme, counting_day)
            .annotate(town=Substr("code", 1, TOWN_CODE_LENGTH))
            .values("town")
            .annotate(units=Count("code"))
            .order_by("town")
            .values_list("town", "units")
        )
        run = ScoringRun.objects.create(scheme=scheme, counting_day=counting_day, requested_by=acting_user)
        chunks = ScoringChunk.objects.bulk_create(
            ScoringChunk(run=run, first_town_id=first, last_town_id=last, towns=count, units=units)
            for first, last, count, units in chunks_of_towns(list(towns), settings.SCORING_CHUNK_UNITS)
        )
        run.total = sum(chunk.units for chunk in chunks)
        run.save(update_fields=["total"])
        if not chunks:
            _finish(run)
        elif dispatch:
            # By name: supervision.tasks calls this module, and the task is registered once the app
            # is ready (supervision.contributions imports supervision.tasks).
            send_after_commit(app.signature(SCORE_RUN_TASK, args=(run.pk,)))
        return run


# A run still queued this long after it was asked for, none of its chunks done, is sent again by
# the sweep (supervision.tasks.send_waiting_runs_task): its task was lost with the broker between
# the commit and the send. Sending twice is harmless: a run's task sends only its unfinished
# chunks, and a chunk rewrites its own rows.
WAITING_RUN_MINUTES = 5


def waiting_runs(now: datetime.datetime) -> list[int]:
    """The ids of the runs queued before now - WAITING_RUN_MINUTES with no chunk done or failed."""
    started = ScoringChunk.objects.filter(run_id=OuterRef("pk")).exclude(state=ChunkState.QUEUED)
    return list(
        ScoringRun.objects.filter(
            state=RunState.QUEUED, requested_at__lt=now - datetime.timedelta(minutes=WAITING_RUN_MINUTES)
        )
        .filter(~Exists(started))
        .values_list("pk", flat=True)
    )


def chunks_of_towns(towns: Sequence[tuple[str, int]], units_per_chunk: int) -> list[tuple[str, str, int, int]]:
    """Cut (town, units) in town order into chunks (first town, last town, towns, units) of
    consecutive whole towns: a chunk is closed once it holds `units_per_chunk` units or more,
    so only the last can be smaller, and a town larger than that is a chunk of its own."""
    chunks: list[tuple[str, str, int, int]] = []
    first = None
    count = units = 0
    for town, town_units in towns:
        if first is None:
            first, count, units = town, 0, 0
        count += 1
        units += town_units
        if units >= units_per_chunk:
            chunks.append((first, town, count, units))
            first = None
    if first is not None:
        chunks.append((first, town, count, units))
    return chunks


def _after(town_code: str) -> str:
    """The least code after every code that starts with `town_code` (codes are digits of one
    length per level, compared in the C collation): the town's code plus one, same width."""
    return str(int(town_code) + 1).zfill(len(town_code))


def _chunk_sql(indicators: list[SchemeIndicator]) -> str:
    """One statement scoring a chunk: its units' cells (entered or computed score per
    indicator), weighted totals, then per town the quota, grades and ranks, inserted as results.

    Each computed indicator is its own aggregate joined to the units on the unit alone. (A
    union of them joined on unit and indicator, estimated at a few hundred rows, was planned
    as a nested loop over every pair: minutes for a province, bench/README.md.)

    Each aggregate is a MATERIALIZED CTE, computed once per chunk whatever the planner thinks.
    As a subquery it sat on the inner side of a nested loop over units × indicators when the
    tables had no statistics (the demo loaded and scored in one transaction, which autovacuum
    cannot analyze): every aggregate ran again for each of the 924 cells of 84 villages, and the
    visit coverage's EXISTS 858,792 times, 234 s for one chunk (CI, 2026-12-07)."""
    computed = sorted({indicator.source for indicator in indicators if not indicator.is_entered})
    known = computed_indicators()
    aggregates = "".join(
        f"computed_{number} AS MATERIALIZED ({known[code].sql}), " for number, code in enumerate(computed)
    )
    joins = "".join(
        f"LEFT JOIN computed_{number} ON computed_{number}.unit = units.code " for number, _code in enumerate(computed)
    )
    scores = "".join(f" WHEN '{code}' THEN computed_{number}.score::numeric" for number, code in enumerate(computed))
    return f"""
        WITH units AS MATERIALIZED (
            SELECT code, left(code, {TOWN_CODE_LENGTH}) AS town FROM villages_division
            WHERE level = %(level)s AND code >= %(first_town)s AND code < %(after_last_town)s
              AND (retired_on IS NULL OR retired_on > %(day)s)
        ),
        {aggregates}
        cell AS (
            SELECT units.code AS unit, units.town, indicator.code AS indicator, indicator.position, indicator.weight,
                   CASE indicator.source WHEN '{ENTERED}' THEN entry.score{scores} END AS score
            FROM units
            CROSS JOIN supervision_schemeindicator indicator
            LEFT JOIN supervision_scoreentry entry
                ON entry.scheme_id = %(scheme)s AND entry.unit_id = units.code AND entry.indicator_id = indicator.id
                -- The chunk's range, so that only its entries are read (by the unique index), not the scheme's.
                AND entry.unit_id >= %(first_town)s AND entry.unit_id < %(after_last_town)s
            {joins}
            WHERE indicator.scheme_id = %(scheme)s
        ),
        totals AS (
            SELECT unit, town,
                   {weighted_total_sql("weight", "coalesce(score, 0)")} AS total,
                   jsonb_object_agg(indicator, coalesce(score, 0)) AS scores,
                   coalesce(jsonb_agg(indicator ORDER BY position) FILTER (WHERE score IS NULL), '[]'::jsonb)
                       AS missing
            FROM cell GROUP BY unit, town
        ),
        ranked AS (
            SELECT totals.*,
                   rank() OVER by_total AS rank,
                   count(*) OVER by_total AS reaching,
                   count(*) OVER (PARTITION BY town) AS units
            FROM totals
            WINDOW by_total AS (PARTITION BY town ORDER BY total DESC)
        )
        INSERT INTO supervision_result (run_id, unit_id, town_id, total, grade, rank, scores, missing)
        SELECT %(run)s, unit, town, total,
               CASE WHEN total >= %(excellent)s AND reaching <= (units * %(share)s) / 100 THEN '{Grade.EXCELLENT}'
                    WHEN total >= %(good)s THEN '{Grade.GOOD}'
                    WHEN total >= %(pass)s THEN '{Grade.PASS}'
                    ELSE '{Grade.FAIL}'
               END,
               rank, scores, missing
        FROM ranked
        -- In key order: the unique index on (run, unit) is filled from its right edge.
        ORDER BY unit
    """


def _chunk_parameters(chunk: ScoringChunk, run: ScoringRun, scheme: Scheme) -> dict:
    """The parameters of _chunk_sql's statement for one chunk of a run of the scheme."""
    return {
        "level": scheme.level,
        "first_town": chunk.first_town_id,
        "after_last_town": _after(chunk.last_town_id),
        "unit_code_length": CODE_LENGTH_BY_LEVEL[scheme.level],
        "day": run.counting_day,
        "start": scheme.period_range.start,
        "period": scheme.period,
        "scheme": scheme.pk,
        "run": run.pk,
        "excellent": scheme.excellent_from,
        "good": scheme.good_from,
        "pass": scheme.pass_from,
        "share": scheme.excellent_share,
    }


def score_chunk(chunk_id: int) -> None:
    """Score one chunk of a run in one transaction: its earlier rows (a retried or redelivered
    chunk) are deleted and written again, so the chunk writes the same rows, none twice. The
    last chunk to finish moves the scheme's results to the run (_finish).

    Grades follow the thresholds, then the quota of each town: at most ⌊n × excellent_share /
    100⌋ units of a town are excellent; `reaching` counts the town's units with a total at least
    the unit's own (ties included), so units tied at the cut that would overrun the quota are all
    graded good. Ranks within the town share a rank when tied (1, 2, 2, 4)."""
    # Only the chunk's own row is locked while it is scored, so that the chunks of a run are
    # scored side by side by as many worker processes as there are (bench/score_period: locking
    # the run's row made them wait for one another). The run's row is locked only for the last
    # moment, to judge whether this chunk is the last (see below).
    with transaction.atomic():
        chunk = ScoringChunk.objects.select_for_update(of=("self",)).select_related("run__scheme").get(pk=chunk_id)
        run = chunk.run
        if chunk.state == ChunkState.DONE or run.state in (RunState.DONE, RunState.FAILED):
            return
        scheme = run.scheme
        with acting_as(None, action=SupervisionAction.SCORE_CHUNK, run=run.pk):
            if run.state == RunState.QUEUED:
                # Conditional, so that only the first chunks write it (and wait for one another).
                ScoringRun.objects.filter(pk=run.pk, state=RunState.QUEUED).update(state=RunState.RUNNING)
            chunk.attempts += 1
            after_last_town = _after(chunk.last_town_id)
            Result.objects.filter(run=run, unit_id__gte=chunk.first_town_id, unit_id__lt=after_last_town).delete()
            with connection.cursor() as cursor:
                keep_audit_triggers_linear(cursor)
                # No JIT compilation: the chunk's estimated cost (the disclosures' generate_series is
                # guessed at 1,000 rows an item) makes PostgreSQL compile ~150 functions, which took
                # 1.0 s of a 1.5 s village chunk of 5,000 units (bench/README.md).
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(_chunk_sql(list(scheme.indicators.all())), _chunk_parameters(chunk, run, scheme))
            chunk.state = ChunkState.DONE
            chunk.save(update_fields=["state", "attempts"])
            # The run's row serialises the question "is every other chunk done?": of two last
            # chunks finishing together, the second to take the lock counts the first as done once
            # it has committed (the query below starts after the lock is granted), and finishes the run.
            run = ScoringRun.objects.select_for_update().get(pk=run.pk)
            if (
                run.state in (RunState.QUEUED, RunState.RUNNING)
                and not run.chunks.exclude(state=ChunkState.DONE).exists()
            ):
                _finish(run)


def score_now(run: ScoringRun) -> ScoringRun:
    """Score every chunk of a run here, in the caller's transaction (the demo, a shell): the
    same chunks the task would score, one after the other."""
    for chunk in run.chunks.exclude(state=ChunkState.DONE).values_list("pk", flat=True):
        score_chunk(chunk)
    run.refresh_from_db()
    return run


def _finish(run: ScoringRun) -> None:
    """The run is done: its results become the scheme's (unless a newer run's already are), and
    older runs' results are deleted, in the caller's transaction."""
    scheme = Scheme.objects.select_for_update().get(pk=run.scheme_id)
    run.state = RunState.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "finished_at"])
    if scheme.scored_run_id is None or scheme.scored_run_id < run.pk:
        scheme.scored_run = run
        scheme.save(update_fields=["scored_run"])
        Result.objects.filter(run__scheme=scheme, run_id__lt=run.pk).delete()


def record_chunk_error(chunk_id: int, error: BaseException, *, final: bool) -> None:
    """Note a chunk's failure on its run (the chunk's own writes rolled back); a chunk that has
    used its retries fails the run."""
    with transaction.atomic():
        chunk = ScoringChunk.objects.select_for_update(of=("self",)).get(pk=chunk_id)
        with acting_as(None, action=SupervisionAction.SCORE_CHUNK, run=chunk.run_id):
            run = ScoringRun.objects.select_for_update().get(pk=chunk.run_id)
            chunk.attempts += 1
            if final:
                chunk.state = ChunkState.FAILED
            chunk.save(update_fields=["attempts", "state"])
            towns = chunk.first_town_id if chunk.towns == 1 else f"{chunk.first_town_id}-{chunk.last_town_id}"
            run.errors = [*run.errors, {"town": towns, "attempt": chunk.attempts, "error": str(error)[:500]}]
            fields = ["errors"]
            if final and run.state != RunState.DONE:
                run.state = RunState.FAILED
                run.finished_at = timezone.now()
                fields += ["state", "finished_at"]
            run.save(update_fields=fields)


def done_units(run: ScoringRun) -> int:
    """Units scored so far: those of the run's finished chunks."""
    return sum(run.chunks.filter(state=ChunkState.DONE).values_list("units", flat=True))


# --- freezing ----------------------------------------------------------------------------------


def may_freeze(user, scheme: Scheme) -> bool:
    return (
        not scheme.is_frozen
        and scheme.scored_run_id is not None
        and holds_in(user, "supervision.freeze_scheme", scheme.division_id)
    )


def freeze_scheme(scheme: Scheme, *, acting_user: AbstractBaseUser) -> Scheme:
    """Approve a scored scheme's results and freeze them: entries and runs are refused after."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.FREEZE_SCHEME):
        scheme = _lock_unfrozen(scheme)
        require_permission_at(acting_user, "supervision.freeze_scheme", scheme.division_id)
        if scheme.scored_run_id is None:
            raise ValidationError({"scheme": _("方案尚未完成计算，不能冻结。")})
        if scheme.runs.filter(state__in=[RunState.QUEUED, RunState.RUNNING]).exists():
            raise ValidationError({"scheme": _("方案仍有正在进行的计算，请等待完成后再冻结。")})
        scheme.frozen_at = timezone.now()
        scheme.frozen_by = acting_user
        scheme.save(update_fields=["frozen_at", "frozen_by"])
        return scheme
