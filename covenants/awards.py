"""The compliance award (公约遵守奖): who shares a fund, who is withheld, and how much each gets.

A village or cooperative sets a fund for an award period (from collective dividends) and a rule:
equal per eligible member, or in proportion to their shares (covenants.choices.AwardRule). Members
with a confirmed violation occurring in the period get nothing (the sanctions engine's
AWARD_WITHHELD, Nanhai covenant opinions); the whole fund is shared among the rest in fen, so the
payouts add up exactly to the fund:

- `allocate(fund_fen, shares_by_person, rule)` is pure integer arithmetic (never floats): each
  eligible member first gets the floor of their part, then the few fen left over (always fewer
  than the number of members) go one at a time by REMAINDER_RULE;
- `members_of(division, period)` reads the members of the division's cooperatives on the period's
  last day, shares summed per person, in one query;
- `withheld_reasons(person_ids, period)` asks the sanctions engine, in one query, whose award the
  period withholds and why;
- `compute_award(...)` puts them together: a constant number of queries (two) whatever the
  number of members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from covenants.choices import AwardRule, SanctionKind
from covenants.sanctions import sanctions_of
from governance.money import fen_to_yuan
from governance.periods import Period

# Shares are kept with 2 decimal places (villages.Membership.shares, AwardPayout.shares): times
# SHARE_SCALE they are whole numbers, so a share-weighted split stays in integer arithmetic.
SHARE_SCALE = 100

# The largest-remainder method (Hamilton's): after every eligible member has the floor of
# fund × weight / total weight, the fen left over (fewer than the members) go one each to the
# members with the largest remainders, ties broken by the person's id ascending (the earliest
# registered first). Under the equal rule every remainder is the same, so the extra fen go to the
# lowest ids. The same input always gives the same payouts (docs/domain.md, "Compliance award").
REMAINDER_RULE = "largest remainder, ties by person id ascending"

# AwardPayout.withheld_reason holds at most this many characters.
WITHHELD_REASON_MAX_LENGTH = 200


def _weights(shares_by_person: Mapping[int, Decimal], rule: str) -> dict[int, int]:
    """Each member's whole-number weight: 1 under the equal rule, shares × SHARE_SCALE by shares."""
    if rule == AwardRule.EQUAL:
        return dict.fromkeys(shares_by_person, 1)
    if rule != AwardRule.BY_SHARES:
        raise ValidationError({"rule": _("分配办法只能是“按人平均”或“按股份比例”。")})
    weights = {}
    for person_id, shares in shares_by_person.items():
        scaled = Decimal(shares) * SHARE_SCALE
        if scaled != scaled.to_integral_value() or scaled < 0:
            raise ValueError(f"shares of person {person_id} are not a non-negative amount with 2 places: {shares}")
        weights[person_id] = int(scaled)
    return weights


def allocate(fund_fen: int, shares_by_person: Mapping[int, Decimal], rule: str) -> dict[int, int]:
    """Share `fund_fen` among the eligible members (person id → shares) by `rule`, in fen.

    The amounts add up exactly to the fund: floors first, then the remainder by REMAINDER_RULE.
    Under the by-shares rule a member with no shares gets 0; when no eligible member has any
    shares (or there is no eligible member at all) there is nothing to share by: a field error.
    """
    if fund_fen <= 0:
        raise ValidationError({"fund_yuan": _("奖励资金必须大于零。")})
    if not shares_by_person:
        raise ValidationError({"division": _("该区划在本期没有符合条件的成员，无法分配奖励资金。")})
    weights = _weights(shares_by_person, rule)
    total = sum(weights.values())
    if total == 0:
        raise ValidationError({"rule": _("符合条件的成员均无股份，不能按股份比例分配，请改为按人平均。")})
    amounts = {}
    remainders = {}
    for person_id, weight in weights.items():
        amounts[person_id], remainders[person_id] = divmod(fund_fen * weight, total)
    left_over = fund_fen - sum(amounts.values())
    # Members with no weight take no part in the remainder (they have none: remainder 0).
    by_remainder = sorted((p for p in weights if weights[p] > 0), key=lambda p: (-remainders[p], p))
    for person_id in by_remainder[:left_over]:
        amounts[person_id] += 1
    return amounts


@dataclass(frozen=True)
class AwardLine:
    """One member's line of an award run, before it is written as an AwardPayout."""

    person_id: int
    shares: Decimal
    eligible: bool
    withheld_reason: str
    amount_fen: int


def members_of(division_code: str, period: Period) -> dict[int, Decimal]:
    """The members (person id → shares) of the cooperatives of the division on the period's last
    day: joined by then and not left before it. A cooperative is itself; a village, every
    cooperative under its code; a person in several of them has their shares summed. One query."""
    from villages.models import Membership

    rows = (
        Membership.objects.filter(cooperative__code__startswith=division_code, joined_on__lte=period.end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=period.end))
        .values("person_id")
        .annotate(total=Sum("shares"))
        .order_by("person_id")
        .values_list("person_id", "total")
    )
    return dict(rows)


def withheld_reasons(person_ids, period: Period) -> dict[int, str]:
    """Whose award the period withholds (a confirmed, not lifted violation occurring in the award
    period, of a clause that withholds it), each with the clauses and violations why. One query."""
    reasons: dict[int, list[str]] = {}
    for person_id, sanctions in sanctions_of(person_ids).items():
        for sanction in sanctions:
            overlaps = sanction.starts_on <= period.end and (
                sanction.ends_on is None or sanction.ends_on > period.start
            )
            if sanction.kind == SanctionKind.AWARD_WITHHELD and overlaps:
                reasons.setdefault(person_id, []).append(
                    _("违反《%(covenant)s》第%(number)s条（违约记录 %(violation)s）")
                    % {
                        "covenant": sanction.covenant_title,
                        "number": sanction.clause_number,
                        "violation": sanction.violation_id,
                    }
                )
    return {person_id: "；".join(texts)[:WITHHELD_REASON_MAX_LENGTH] for person_id, texts in reasons.items()}


def compute_award(division_code: str, period: Period, fund_fen: int, rule: str) -> list[AwardLine]:
    """Every member's line for this fund and rule: the withheld with 0 and their reason, the
    others sharing the whole fund. Two queries, whatever the number of members."""
    members = members_of(division_code, period)
    withheld = withheld_reasons(members, period) if members else {}
    eligible = {person_id: shares for person_id, shares in members.items() if person_id not in withheld}
    if members and not eligible:
        raise ValidationError({"division": _("本期所有成员均因违约不予发放，没有可分配的成员。")})
    amounts = allocate(fund_fen, eligible, rule)
    return [
        AwardLine(
            person_id=person_id,
            shares=shares,
            eligible=person_id not in withheld,
            withheld_reason=withheld.get(person_id, ""),
            amount_fen=amounts.get(person_id, 0),
        )
        for person_id, shares in members.items()
    ]


def yuan(fen: int) -> Decimal:
    """An amount in fen as yuan with 2 decimal places (for pages, the API and the bank's sheet)."""
    return fen_to_yuan(fen)
