"""How a sanction is named to people: which tier applied and why (DESIGN.md section 3, "two
tiers"), the consequence, the covenant clause and violation behind it, the dates.

- 屡教不改（12个月内第2次违反《罗村村规民约》）：3年内不得参与集体资产竞投（第1条，违约记录12），
  至2028-02-28止，2028-03-01起恢复
- 情节较为严重：移送相关部门处理，已移送狮山镇农业农村办（违反《罗村村规民约》第3条，违约记录9），至整改完成
- a violation's summary: 情节较为严重：限制车辆出入、移送相关部门处理；单次违约不取消资格
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from covenants.choices import REPEAT_BAR_YEARS, SanctionKind, Tier
from governance.money import yuan_input

if TYPE_CHECKING:
    from covenants.services.sanctions import Sanction

# The bars only a repeat violation brings (the others follow any violation, or a serious one).
REPEAT_BARS = tuple(REPEAT_BAR_YEARS)


def tier_phrase(sanction: Sanction, *, with_covenant: bool = True) -> str:
    """Which tier applied and why: 屡教不改（12个月内第2次违反《…》） / 情节较为严重 / 一般违约."""
    if sanction.tier == Tier.REPEAT:
        values = {
            "tier": Tier.REPEAT.label,
            "months": sanction.repeat_window_months,
            "ordinal": sanction.repeat_ordinal,
            "covenant": sanction.covenant_title,
        }
        if with_covenant:
            return _("%(tier)s（%(months)s个月内第%(ordinal)s次违反《%(covenant)s》）") % values
        return _("%(tier)s（%(months)s个月内第%(ordinal)s次违反本公约）") % values
    if sanction.tier == Tier.SERIOUS:
        return str(Tier.SERIOUS.label)
    return _("一般违约")


def consequence(sanction: Sanction) -> str:
    """The consequence itself: a repeat's bar with its years, compensation with its amount, a
    referral with the department it went to."""
    label = str(SanctionKind(sanction.kind).label)
    if sanction.kind in REPEAT_BARS:
        return _("%(years)s年内%(bar)s") % {"years": REPEAT_BAR_YEARS[sanction.kind], "bar": label}
    if sanction.kind == SanctionKind.COMPENSATION and sanction.amount_fen:
        return _("%(label)s %(amount)s元") % {"label": label, "amount": yuan_input(sanction.amount_fen)}
    if sanction.kind == SanctionKind.REFERRAL and sanction.referred_to:
        return _("%(label)s，已移送%(department)s") % {"label": label, "department": sanction.referred_to}
    return label


def until(sanction: Sanction) -> str:
    """Until when: the last day and the first free one, or until the violation is rectified."""
    if sanction.ends_on is None:
        return _("，至整改完成")
    last_day = sanction.ends_on - datetime.timedelta(days=1)
    return _("，至%(last)s止，%(free)s起恢复") % {"last": last_day.isoformat(), "free": sanction.ends_on.isoformat()}


def describe_bar(sanction: Sanction) -> str:
    """A sanction in a sentence, for the people it concerns and those who ask about them (the
    eligibility reasons, the register, the person's page): the tier and why, the consequence, the
    clause and violation behind it, until when."""
    values = {
        "tier": tier_phrase(sanction),
        "consequence": consequence(sanction),
        "covenant": sanction.covenant_title,
        "clause": sanction.clause_number,
        "violation": sanction.violation_id,
    }
    if sanction.tier == Tier.REPEAT:
        text = _("%(tier)s：%(consequence)s（第%(clause)s条，违约记录%(violation)s）") % values
    else:
        text = _("%(tier)s：%(consequence)s（违反《%(covenant)s》第%(clause)s条，违约记录%(violation)s）") % values
    return text + until(sanction)


def public_line(sanction: Sanction) -> str:
    """A sanction on the black list (public): the tier and why, the consequence, the clause, until
    when; no record number."""
    values = {
        "tier": tier_phrase(sanction),
        "consequence": consequence(sanction),
        "covenant": sanction.covenant_title,
        "clause": sanction.clause_number,
    }
    if sanction.tier == Tier.REPEAT:
        text = _("%(tier)s：%(consequence)s（第%(clause)s条）") % values
    else:
        text = _("%(tier)s：%(consequence)s（违反《%(covenant)s》第%(clause)s条）") % values
    return text + until(sanction)


def describe_tier(sanctions: Iterable[Sanction]) -> str:
    """One violation's sanctions in a line, by its tier: 情节较为严重：限制车辆出入、移送相关部门处理；
    单次违约不取消资格. Empty when it has none (not confirmed, lifted, or a clause without any)."""
    sanctions = list(sanctions)
    if not sanctions:
        return ""
    first = sanctions[0]
    text = _("%(tier)s：%(consequences)s") % {
        "tier": tier_phrase(first),
        "consequences": _("、").join(dict.fromkeys(consequence(s) for s in sanctions)),
    }
    if first.tier != Tier.REPEAT:
        return text + _("；单次违约不取消资格")
    if not any(s.kind in REPEAT_BARS for s in sanctions):
        return text + _("；本条款未规定取消资格")
    return text
