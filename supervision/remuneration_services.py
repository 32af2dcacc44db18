"""Services of cadres' remuneration (supervision/remuneration.py): a town's or the district's rule
for a period, the units' collective operating incomes, and the remuneration of a scheme's units
as read by a user. One function per action, atomic, rights re-checked inside, audited."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from enum import StrEnum

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from governance.access.querysets import holds_anywhere, holds_in, jurisdiction_codes
from governance.audit import acting_as
from governance.periods import Period
from supervision.choices import Grade
from supervision.models import Result, Scheme
from supervision.remuneration import (
    PERCENT,
    RULE_LEVELS,
    CollectiveIncome,
    Pay,
    RemunerationBase,
    RemunerationPerformance,
    RemunerationRule,
    remuneration_rows,
)
from villages.choices import PositionKind
from villages.models import Division


class RemunerationAction(StrEnum):
    """The remuneration's actions, as the audit trail names them (pgh_context "action")."""

    SAVE_RULE = "save_remuneration_rule"
    SAVE_INCOMES = "save_collective_incomes"


def _require(user, perm: str, division_code: str) -> None:
    if not holds_in(user, perm, division_code):
        raise PermissionDenied(_("您无权在该区划执行此操作。"))


def _fen(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError({field: [_("金额应为以分计的非负整数。")]})
    return value


def _period(label: str) -> str:
    try:
        return Period.parse(label).label
    except ValidationError as error:
        raise ValidationError({"period": error.messages}) from None


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
    with transaction.atomic(), acting_as(acting_user, action=RemunerationAction.SAVE_RULE):
        _require(acting_user, "supervision.add_remunerationrule", division.code)
        if division.level not in RULE_LEVELS:
            raise ValidationError({"division": [_("报酬规则由镇（街道）或区制定。")]})
        label = _period(period)
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
    with transaction.atomic(), acting_as(acting_user, action=RemunerationAction.SAVE_INCOMES):
        label = _period(period)
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
