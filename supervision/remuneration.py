"""Remuneration of village and cooperative cadres (村干部报酬, issue 9 point 5).

The rule (Guangyuan's 2021 self-governance plan, DESIGN.md section 2 "报酬 remuneration = 基本报酬
base + 考核绩效 performance + 集体经济发展创收奖励 collective income bonus" and section 3
"remuneration = base + assessment performance + collective income bonus; allowances and bonuses of
sanctioned staff are reduced", Guangyuan plan; Nanhai task 08): for each cadre holding a post in an
assessed unit, per scheme (its period and its stored results),

    base         the rule's amount for the cadre's post kind (基本报酬);
    performance  the rule's amount for the grade the unit got in the scheme's stored results (考核绩效);
    bonus        the rule's share of the unit's collective operating income above a threshold,
                 capped (集体经济发展创收奖励);
    deduction    for every month of the period, the percent withheld by the disciplinary sanctions
                 in force on the month's last day (the largest when several are: records.py
                 DEFAULT_DEDUCTION_PERCENT and deduction_percent_in_force), applied to that
                 month's share of base + performance + bonus (补贴和奖金扣减);
    total        base + performance + bonus − deduction.

Every amount is in fen (分), whole numbers, in integer arithmetic; each division rounds half up
once. Each part carries the sentence that explains it. The rule applied to a unit is its town's
for the period, or the district's when the town has none (RULE_PRECEDENCE). The computation is
set-based: a fixed number of queries whatever the number of units (remuneration_rows).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from governance.money import fen_text  # noqa: F401 (also read from here by the pages and the API)
from governance.periods import Period
from supervision.choices import Grade
from villages.choices import PositionKind

# --- named rules ----------------------------------------------------------------------------------

# The remuneration's parts, in the order every output lists them (Guangyuan plan: base +
# assessment performance + collective income bonus; Nanhai task 08: sanctioned staff's allowances
# and bonuses are reduced).
BASE, PERFORMANCE, BONUS, DEDUCTION = "base", "performance", "bonus", "deduction"
PARTS = (BASE, PERFORMANCE, BONUS, DEDUCTION)

# A rule is set by a town for its units or by the district for all of them; a unit is paid by its
# town's rule for the period when there is one, else by the district's (our reading: the town pays
# its cadres, the district sets the default). Lengths of the division codes, nearest first.
RULE_PRECEDENCE = (9, 6)
RULE_LEVELS = ("town", "district")

# What a sanction's percent is applied to: the month's base, performance and bonus together (the
# cadre's allowance 补贴 is the base; performance and the bonus are the bonuses 奖金), Nanhai task
# 08 and supervision/records.py (the deduction's percent "of the cadre's monthly allowance and bonus").
DEDUCTED_PARTS = (BASE, PERFORMANCE, BONUS)

# Percent as a whole number of a hundred (integer arithmetic, DESIGN.md section 3).
PERCENT = 100


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for non-negative whole numbers (fen)."""
    return (2 * numerator + denominator) // (2 * denominator)


def month_ends(period: Period) -> list[datetime.date]:
    """The last day of every month of the period, in order."""
    ends = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        ends.append(datetime.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends


# --- models -------------------------------------------------------------------------------------


@track_history
class RemunerationRule(ScopedModel):
    """The remuneration rule of a town or the district for a period (the scheme's period spelling):
    the base per post kind and the performance amount per grade (its rows), and the collective
    income bonus: `bonus_percent` % of the unit's collective operating income above
    `bonus_threshold_fen`, at most `bonus_cap_fen` (no cap when empty), paid to each cadre."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="remuneration_rules"
    )
    period = models.CharField(_("期间"), max_length=7)
    bonus_threshold_fen = models.BigIntegerField(_("创收奖励起点（分）"), default=0)
    bonus_percent = models.PositiveSmallIntegerField(_("创收奖励比例（%）"), default=0)
    bonus_cap_fen = models.BigIntegerField(_("创收奖励上限（分）"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报酬规则")
        verbose_name_plural = _("报酬规则")
        ordering = ["division_id", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["division", "period"], name="remuneration_rule_once_per_period"),
            models.CheckConstraint(condition=Q(bonus_threshold_fen__gte=0), name="remuneration_threshold_positive"),
            models.CheckConstraint(condition=Q(bonus_percent__lte=PERCENT), name="remuneration_bonus_percent"),
            models.CheckConstraint(
                condition=Q(bonus_cap_fen__isnull=True) | Q(bonus_cap_fen__gte=0), name="remuneration_cap_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.division_id} {self.period}"


@track_history
class RemunerationBase(ScopedModel):
    """The base remuneration (基本报酬) of one post kind for the rule's period, in fen."""

    scope_field = "rule__division__code"

    rule = models.ForeignKey(RemunerationRule, on_delete=models.CASCADE, related_name="bases")
    post_kind = models.CharField(_("职务"), max_length=32, choices=PositionKind.choices)
    amount_fen = models.BigIntegerField(_("基本报酬（分）"))

    class Meta:
        verbose_name = _("基本报酬")
        verbose_name_plural = _("基本报酬")
        ordering = ["rule_id", "post_kind"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "post_kind"], name="remuneration_base_once_per_post"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="remuneration_base_positive"),
        ]


@track_history
class RemunerationPerformance(ScopedModel):
    """The performance remuneration (考核绩效) paid for one grade of the assessment, in fen."""

    scope_field = "rule__division__code"

    rule = models.ForeignKey(RemunerationRule, on_delete=models.CASCADE, related_name="performance")
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices)
    amount_fen = models.BigIntegerField(_("考核绩效（分）"))

    class Meta:
        verbose_name = _("考核绩效")
        verbose_name_plural = _("考核绩效")
        ordering = ["rule_id", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "grade"], name="remuneration_performance_once_per_grade"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="remuneration_performance_positive"),
        ]


@track_history
class CollectiveIncome(ScopedModel):
    """A unit's collective operating income (集体经营性收入) in a period, in fen, entered by the town:
    what the collective income bonus is computed from."""

    scope_field = "unit__code"

    unit = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社）"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=7)
    income_fen = models.BigIntegerField(_("集体经营性收入（分）"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("集体经营性收入")
        verbose_name_plural = _("集体经营性收入")
        ordering = ["unit_id", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="collective_income_once_per_period"),
        ]


# --- the computation ----------------------------------------------------------------------------


@dataclass
class Part:
    part: str
    amount_fen: int
    reason: str


@dataclass
class Pay:
    """One cadre's remuneration in one unit for a scheme: each part with its reason."""

    unit: str
    unit_name: str
    town: str
    person_id: int
    person: str
    post: str
    grade: str | None
    rule: str | None
    parts: list[Part] = field(default_factory=list)

    def amount(self, part: str) -> int:
        return sum(item.amount_fen for item in self.parts if item.part == part)

    @property
    def total_fen(self) -> int:
        return self.amount(BASE) + self.amount(PERFORMANCE) + self.amount(BONUS) - self.amount(DEDUCTION)


@dataclass
class Rule:
    """A rule as the computation reads it: bases and performance amounts by key."""

    division_id: str
    bases: dict[str, int]
    performance: dict[str, int]
    bonus_threshold_fen: int
    bonus_percent: int
    bonus_cap_fen: int | None


def rules_for(period: str, unit_codes: Iterable[str]) -> dict[str, Rule]:
    """Division code → rule, for the towns and districts of the units with a rule for the period:
    three queries whatever the number of units."""
    owners = {code[:length] for code in unit_codes for length in RULE_PRECEDENCE}
    rules = {
        rule.pk: Rule(rule.division_id, {}, {}, rule.bonus_threshold_fen, rule.bonus_percent, rule.bonus_cap_fen)
        for rule in RemunerationRule.objects.filter(period=period, division_id__in=owners)
    }
    for row in RemunerationBase.objects.filter(rule_id__in=rules).values("rule_id", "post_kind", "amount_fen"):
        rules[row["rule_id"]].bases[row["post_kind"]] = row["amount_fen"]
    for row in RemunerationPerformance.objects.filter(rule_id__in=rules).values("rule_id", "grade", "amount_fen"):
        rules[row["rule_id"]].performance[row["grade"]] = row["amount_fen"]
    return {rule.division_id: rule for rule in rules.values()}


def rule_of(unit_code: str, rules: dict[str, Rule]) -> Rule | None:
    """The rule that pays a unit: its town's, else its district's (RULE_PRECEDENCE)."""
    for length in RULE_PRECEDENCE:
        if (rule := rules.get(unit_code[:length])) is not None:
            return rule
    return None


def bonus_of(rule: Rule, income_fen: int | None) -> Part:
    """The collective income bonus under the rule for a unit's income (None: not entered)."""
    if income_fen is None:
        return Part(BONUS, 0, gettext("未录入集体经营性收入，无创收奖励。"))
    above = max(0, income_fen - rule.bonus_threshold_fen)
    amount = half_up(above * rule.bonus_percent, PERCENT)
    reason = gettext("集体经营性收入 %(income)s 元，超过 %(threshold)s 元的部分按 %(percent)d%% 计奖") % {
        "income": fen_text(income_fen),
        "threshold": fen_text(rule.bonus_threshold_fen),
        "percent": rule.bonus_percent,
    }
    if rule.bonus_cap_fen is not None and amount > rule.bonus_cap_fen:
        amount = rule.bonus_cap_fen
        reason += gettext("，以上限 %(cap)s 元计") % {"cap": fen_text(rule.bonus_cap_fen)}
    return Part(BONUS, amount, reason + gettext("。"))


def deduction_of(gross_fen: int, percents: Sequence[int], months: Sequence[datetime.date]) -> Part:
    """The deduction of sanctions: each month's share of the gross (gross / months) times the
    percent in force on its last day, summed, rounded half up once."""
    withheld = [(end, percent) for end, percent in zip(months, percents, strict=True) if percent]
    if not withheld:
        return Part(DEDUCTION, 0, gettext("期间内无处分扣减。"))
    amount = half_up(gross_fen * sum(percents), PERCENT * len(months))
    spans = "、".join(
        gettext("%(month)s 扣 %(percent)d%%") % {"month": end.strftime("%Y-%m"), "percent": percent}
        for end, percent in withheld
    )
    reason = gettext("处分在月末有效的月份按当月报酬扣减（%(spans)s），共 %(months)d 个月中的 %(count)d 个月。") % {
        "spans": spans,
        "months": len(months),
        "count": len(withheld),
    }
    return Part(DEDUCTION, amount, reason)


def percents_by_person(person_ids: Iterable[int], months: Sequence[datetime.date]) -> dict[int, list[int]]:
    """Person id → the percent withheld on each month's last day (the largest of the standing
    sanctions in force then: decided on or before it, ending after it). One query."""
    from supervision.records import DisciplinarySanction

    if not months:
        return {}
    sanctions = (
        DisciplinarySanction.objects.standing()
        .filter(person_id__in=list(person_ids), decided_on__lte=months[-1], ends_on__gt=months[0])
        .values_list("person_id", "decided_on", "ends_on", "deduction_percent")
    )
    percents: dict[int, list[int]] = defaultdict(lambda: [0] * len(months))
    for person_id, decided_on, ends_on, percent in sanctions:
        row = percents[person_id]
        for index, end in enumerate(months):
            if decided_on <= end < ends_on and percent > row[index]:
                row[index] = percent
    return dict(percents)


def remuneration_rows(scheme, results: Sequence, on: datetime.date) -> list[Pay]:
    """Every cadre's remuneration in the units of `results` (the scheme's stored results, with
    `unit` selected), by the rule of the unit's town or district for the scheme's period. Cadres
    are the people holding, on `on`, a post the rule pays a base for. Seven queries at most,
    whatever the number of units."""
    from villages.models import Position

    period = Period.parse(scheme.period)
    months = month_ends(period)
    by_unit = {result.unit_id: result for result in results}
    if not by_unit:
        return []
    rules = rules_for(scheme.period, by_unit)
    kinds = {kind for rule in rules.values() for kind in rule.bases}
    positions = list(
        Position.objects.filter(division_id__in=list(by_unit), kind__in=kinds, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("person")
        .order_by("division_id", "kind", "person_id", "id")
    )
    incomes = dict(
        CollectiveIncome.objects.filter(unit_id__in=list(by_unit), period=scheme.period).values_list(
            "unit_id", "income_fen"
        )
    )
    percents = percents_by_person({position.person_id for position in positions}, months)
    rows = []
    for position in positions:
        result = by_unit[position.division_id]
        rule = rule_of(position.division_id, rules)
        if rule is None or position.kind not in rule.bases:
            continue
        pay = Pay(
            unit=result.unit_id,
            unit_name=result.unit.qualified_name,
            town=result.town_id,
            person_id=position.person_id,
            person=position.person.name,
            post=position.kind,
            grade=result.grade,
            rule=rule.division_id,
        )
        post_name = PositionKind(position.kind).label
        pay.parts.append(Part(BASE, rule.bases[position.kind], gettext("%(post)s的基本报酬。") % {"post": post_name}))
        grade_name = Grade(result.grade).label
        if result.grade in rule.performance:
            pay.parts.append(
                Part(
                    PERFORMANCE,
                    rule.performance[result.grade],
                    gettext("考核等次为%(grade)s（总分 %(total)s）的考核绩效。")
                    % {"grade": grade_name, "total": result.total},
                )
            )
        else:
            pay.parts.append(
                Part(PERFORMANCE, 0, gettext("考核等次为%(grade)s，规则未设该等次的绩效。") % {"grade": grade_name})
            )
        pay.parts.append(bonus_of(rule, incomes.get(result.unit_id)))
        gross = sum(pay.amount(part) for part in DEDUCTED_PARTS)
        pay.parts.append(deduction_of(gross, percents.get(position.person_id, [0] * len(months)), months))
        rows.append(pay)
    return rows
