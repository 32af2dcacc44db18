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
                 in force on the month's last day (the largest when several are:
                 supervision.choices.DEFAULT_DEDUCTION_PERCENT), applied to that
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

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from governance.access.querysets import holds_anywhere, holds_in, jurisdiction_codes
from governance.audit import acting_as
from governance.guards import require_permission_at
from governance.money import fen_text
from governance.periods import Period
from supervision.choices import (
    BASE,
    BONUS,
    DEDUCTED_PARTS,
    DEDUCTION,
    PERCENT,
    PERFORMANCE,
    RULE_LEVELS,
    RULE_PRECEDENCE,
    Grade,
)
from supervision.models import (
    CollectiveIncome,
    DisciplinarySanction,
    RemunerationBase,
    RemunerationPerformance,
    RemunerationRule,
    Result,
    Scheme,
)
from supervision.services.actions import SupervisionAction, parse_period
from villages.choices import PositionKind
from villages.models import Division, Position


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


def pay_row(pay: Pay) -> dict:
    """One cadre's remuneration as the API, its sheet and the page give it."""
    return {
        "unit": pay.unit,
        "name": pay.unit_name,
        "town": pay.town,
        "person": pay.person,
        "post": pay.post,
        "post_name": str(PositionKind(pay.post).label),
        "grade": pay.grade,
        "grade_name": str(Grade(pay.grade).label) if pay.grade else "",
        "rule": pay.rule,
        "base_fen": pay.amount(BASE),
        "performance_fen": pay.amount(PERFORMANCE),
        "bonus_fen": pay.amount(BONUS),
        "deduction_fen": pay.amount(DEDUCTION),
        "total_fen": pay.total_fen,
        "total_yuan": fen_text(pay.total_fen),
        "parts": [{"part": part.part, "amount_fen": part.amount_fen, "reason": part.reason} for part in pay.parts],
        "explanation": " ".join(part.reason for part in pay.parts),
    }


# --- rules and incomes ---------------------------------------------------------------------------


def _fen(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError({field: [_("金额应为以分计的非负整数。")]})
    return value


def may_save_rule(user, division: Division) -> bool:
    return holds_in(user, "supervision.add_remunerationrule", division.code)


def save_rule(
    *,
    acting_user: AbstractBaseUser,
    division: Division,
    period: str,
    bases: dict[str, int],
    performance: dict[str, int],
    bonus_threshold_fen: int = 0,
    bonus_percent: int = 0,
    bonus_cap_fen: int | None = None,
) -> RemunerationRule:
    """The remuneration rule of a town or the district for a period, created or replaced whole:
    base per post kind, performance per grade (a grade left out pays none), collective income
    bonus (percent of the income above the threshold, at most the cap)."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.SAVE_REMUNERATION_RULE):
        require_permission_at(acting_user, "supervision.add_remunerationrule", division.code)
        if division.level not in RULE_LEVELS:
            raise ValidationError({"division": [_("报酬规则由镇（街道）或区制定。")]})
        label = parse_period(period).label
        if not bases or any(kind not in PositionKind.values for kind in bases):
            raise ValidationError({"bases": [_("请按职务填写基本报酬，职务应为任职的职务代码。")]})
        if any(grade not in Grade.values for grade in performance):
            raise ValidationError({"performance": [_("考核绩效应按等次 excellent、good、pass、fail 填写。")]})
        bases = {kind: _fen(amount, "bases") for kind, amount in bases.items()}
        performance = {grade: _fen(amount, "performance") for grade, amount in performance.items()}
        threshold = _fen(bonus_threshold_fen, "bonus_threshold_fen")
        cap = None if bonus_cap_fen is None else _fen(bonus_cap_fen, "bonus_cap_fen")
        if isinstance(bonus_percent, bool) or not isinstance(bonus_percent, int) or not 0 <= bonus_percent <= PERCENT:
            raise ValidationError({"bonus_percent": [_("创收奖励比例应为 0 至 100 之间的整数。")]})
        rule = RemunerationRule.objects.select_for_update().filter(division=division, period=label).first()
        if rule is None:
            rule = RemunerationRule(division=division, period=label, created_by=acting_user)
        rule.bonus_threshold_fen, rule.bonus_percent, rule.bonus_cap_fen = threshold, bonus_percent, cap
        rule.save()
        rule.bases.all().delete()
        rule.performance.all().delete()
        RemunerationBase.objects.bulk_create(
            RemunerationBase(rule=rule, post_kind=kind, amount_fen=amount) for kind, amount in bases.items()
        )
        RemunerationPerformance.objects.bulk_create(
            RemunerationPerformance(rule=rule, grade=grade, amount_fen=amount) for grade, amount in performance.items()
        )
        return rule


def save_incomes(*, acting_user: AbstractBaseUser, period: str, incomes: Sequence[dict]) -> list[CollectiveIncome]:
    """Units' collective operating incomes for a period, `[{"unit": code, "income_fen": n}]`: all
    of them or none (each bad row named by its index); a later one replaces the unit's earlier."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.SAVE_COLLECTIVE_INCOMES):
        label = parse_period(period).label
        codes = [str(row.get("unit", "")) for row in incomes]
        units = {unit.code: unit for unit in Division.objects.filter(code__in=codes)}
        errors = {}
        for index, row in enumerate(incomes):
            unit = units.get(codes[index])
            amount = row.get("income_fen")
            if unit is None or not holds_in(acting_user, "supervision.add_collectiveincome", unit.code):
                errors[str(index)] = [_("第 %(index)d 行：无此村（社）或不在您的辖区。") % {"index": index}]
            elif isinstance(amount, bool) or not isinstance(amount, int):
                errors[str(index)] = [_("第 %(index)d 行：收入应为以分计的整数。") % {"index": index}]
        if errors:
            raise ValidationError({"incomes": [message for messages in errors.values() for message in messages]})
        saved = []
        for index, row in enumerate(incomes):
            income, _created = CollectiveIncome.objects.select_for_update().update_or_create(
                unit=units[codes[index]],
                period=label,
                defaults={"income_fen": row["income_fen"], "entered_by": acting_user},
            )
            saved.append(income)
        return saved


# --- reading ---------------------------------------------------------------------------------------


def remuneration_scope(user) -> Q:
    """Where `user` may read remuneration: the subtrees in which they may view remuneration rules
    (those who read the sanctions behind the deductions), matched on the unit's code."""
    if user.is_superuser:
        return Q()
    condition = Q(pk__in=[])
    for code in jurisdiction_codes(user, "supervision.view_remunerationrule"):
        condition |= Q(unit__code__startswith=code)
    return condition


def may_read_remuneration(user) -> bool:
    return holds_anywhere(user, "supervision.view_remunerationrule")


def remuneration_of(user, scheme: Scheme, division_code: str, on: datetime.date | None = None) -> list[Pay]:
    """The remuneration of the scheme's units in the division that `user` may read, from the
    scheme's stored results (nothing is rescored). Cadres are counted on the scored run's
    counting day (the assessment's), or on `on`."""
    results = list(
        Result.objects.restrict(user, "view")
        .filter(remuneration_scope(user), run_id=scheme.scored_run_id, unit__code__startswith=division_code)
        .select_related("unit__parent", "run")
        .order_by("town_id", "rank", "unit_id")
    )
    if not results:
        return []
    return remuneration_rows(scheme, results, on or results[0].run.counting_day)
