"""Assessment schemes (绩效考核方案) with their indicators, entered scores, scoring runs cut into
chunks, and the stored results every report reads. A scheme's results are the rows of its latest
finished run, swapped in one transaction (supervision.services.scoring).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history, track_history_per_statement
from governance.base_models import ScopedModel
from governance.periods import Period
from supervision.choices import (
    ENTERED,
    MAX_SCORE,
    MIN_SCORE,
    RESIDENTS_SATISFACTION,
    ChunkState,
    Grade,
    RunState,
    UnitLevel,
    carries_largest_weight,
)
from supervision.querysets import ResultQuerySet, SchemeQuerySet, ScoringRunQuerySet

SCORE = {"max_digits": 5, "decimal_places": 2}


@track_history
class Scheme(ScopedModel):
    """An assessment scheme (考核方案) of a town or the district for a period and a level: every
    unit of that level in the division is scored. Versioned per (division, level, period); frozen
    once its period is scored and approved (entries and runs are then refused)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("考核单位"), on_delete=models.PROTECT, related_name="schemes"
    )
    level = models.CharField(_("考核对象"), max_length=12, choices=UnitLevel.choices)
    period = models.CharField(_("考核期间"), max_length=7)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("方案名称"), max_length=200)
    excellent_from = models.DecimalField(_("优秀最低分"), **SCORE)
    good_from = models.DecimalField(_("良好最低分"), **SCORE)
    pass_from = models.DecimalField(_("合格最低分"), **SCORE)
    excellent_share = models.PositiveSmallIntegerField(_("优秀比例（%）"), validators=[MaxValueValidator(100)])
    # A scheme of level village assessing community workers (社区工作者), where residents'
    # satisfaction should carry the largest weight (supervision.choices.RESIDENTS_SATISFACTION).
    community_workers = models.BooleanField(_("考核社区工作者"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    scored_run = models.ForeignKey(
        "ScoringRun",
        verbose_name=_("计入结果的计算"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["division_id", "-period", "level", "-version"]
        permissions = [("score_scheme", _("计算考核结果")), ("freeze_scheme", _("冻结考核结果"))]
        constraints = [
            models.UniqueConstraint(fields=["division", "level", "period", "version"], name="scheme_one_per_version"),
            models.CheckConstraint(
                condition=Q(pass_from__gte=0)
                & Q(good_from__gte=F("pass_from"))
                & Q(excellent_from__gte=F("good_from"))
                & Q(excellent_from__lte=100),
                name="scheme_grades_ordered",
            ),
            models.CheckConstraint(condition=Q(excellent_share__lte=100), name="scheme_excellent_share_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.period}，第{self.version}版）"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def period_range(self) -> Period:
        return Period.parse(self.period)

    @property
    def warnings(self) -> list[str]:
        """What the scheme says about itself (warnings_for its indicators, prefetched by lists)."""
        return self.warnings_for(self.indicators.all()) if self.community_workers else []

    def warnings_for(self, indicators) -> list[str]:
        """What the scheme says about itself, given its indicators: a scheme assessing community
        workers whose residents' satisfaction (RESIDENTS_SATISFACTION) does not carry the largest
        weight, strictly more than any other indicator, says so (Jiangsu (十) 群众满意度占主要权重;
        kept, not refused)."""
        if not self.community_workers:
            return []
        weights = {indicator.code: indicator.weight for indicator in indicators}
        if carries_largest_weight(weights, RESIDENTS_SATISFACTION):
            return []
        return [
            str(
                _("本方案考核社区工作者，群众满意度（指标代码 %(code)s）应占最大权重（高于其他各项指标），现未达到。")
                % {"code": RESIDENTS_SATISFACTION}
            )
        ]


@track_history
class SchemeIndicator(ScopedModel):
    """One indicator of a scheme with its whole-number weight: entered by the town, or computed
    from the portal's data (`source` a computed indicator's code, supervision.services.indicators)."""

    scope_field = "scheme__division__code"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("指标代码"), max_length=40)
    name = models.CharField(_("指标名称"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("权重"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    source = models.CharField(_("来源"), max_length=40, default=ENTERED)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="scheme_indicator_code_once"),
            models.CheckConstraint(condition=Q(weight__gte=1) & Q(weight__lte=100), name="scheme_indicator_weight"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"

    @property
    def is_entered(self) -> bool:
        return self.source == ENTERED


@track_history
class ScoreEntry(ScopedModel):
    """A score entered for one unit and one entered indicator of a scheme; a later entry for the
    same unit and indicator replaces it (one row per pair)."""

    scope_field = "unit__code"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(
        "villages.Division", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(SchemeIndicator, on_delete=models.CASCADE, related_name="entries")
    score = models.DecimalField(
        _("得分"), **SCORE, validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)]
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        ordering = ["scheme_id", "unit_id", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit", "indicator"], name="score_entry_once_per_unit"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="score_entry_in_range"),
        ]


@track_history
class ScoringRun(ScopedModel):
    """One scoring of a scheme: queued, running chunk by chunk (one town each), done or failed.
    `counting_day` is fixed when the run is asked for, so a retried chunk computes the same."""

    scope_field = "scheme__division__code"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="runs")
    state = models.CharField(_("状态"), max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    counting_day = models.DateField(_("统计日"))
    total = models.PositiveIntegerField(_("考核对象数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScoringRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核计算")
        verbose_name_plural = _("考核计算")
        ordering = ["scheme_id", "-id"]


@track_history
class ScoringChunk(ScopedModel):
    """A run's share scored in one transaction: the units of the towns `first_town` to
    `last_town` (in code order; a town is never split, since its quota and ranks are its own),
    whether they are scored, and the attempts it took. services.scoring.request_run cuts a run into
    chunks of about settings.SCORING_CHUNK_UNITS units."""

    scope_field = "run__scheme__division__code"

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="chunks")
    first_town = models.ForeignKey("villages.Division", on_delete=models.PROTECT, related_name="+")
    last_town = models.ForeignKey("villages.Division", on_delete=models.PROTECT, related_name="+")
    towns = models.PositiveIntegerField(default=1)
    units = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=ChunkState.choices, default=ChunkState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("考核计算分块")
        verbose_name_plural = _("考核计算分块")
        ordering = ["run_id", "first_town_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "first_town"], name="scoring_chunk_once_per_town"),
            models.CheckConstraint(
                condition=models.Q(last_town__gte=models.F("first_town")), name="scoring_chunk_towns_in_order"
            ),
        ]


@track_history_per_statement
class Result(ScopedModel):
    """A unit's stored result in one run: total, grade, rank in its town, scores and what was
    missing. The scheme's results are those of its `scored_run`; reports read them as stored."""

    scope_field = "unit__code"

    # A run writes 200,000 of these in a province (bench/score_period): each index and each
    # foreign-key check is paid per row, and they made a province's run cost more than twice
    # the one statement that computes it. Every read names the run (a scheme's scored run), so
    # the (run, unit) unique index serves them all, unit prefixes included (codes are in the C
    # collation): no index of its own for `run` or `unit`. No key is checked again for each row,
    # since the one writer of results (services.scoring.score_chunk's statement) guarantees them: the run
    # is that of the chunk it holds locked, whose run cannot go meanwhile; the units are read from
    # the division table in the same statement, and a division is never deleted (the database
    # refuses it: villages.Division); the town is the first nine digits of the unit's code, a
    # division that exists since the unit's own chain of parents does. Deleting a run still
    # deletes its results (Django's CASCADE).
    run = models.ForeignKey(
        ScoringRun, on_delete=models.CASCADE, related_name="results", db_index=False, db_constraint=False
    )
    unit = models.ForeignKey(
        "villages.Division", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    town = models.ForeignKey(
        "villages.Division", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    total = models.DecimalField(_("总分"), **SCORE)
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices)
    rank = models.PositiveIntegerField(_("镇内排名"))
    scores = models.JSONField(_("各项得分"), default=dict)
    missing = models.JSONField(_("缺少的得分"), default=list)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["run_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="result_once_per_unit")]
