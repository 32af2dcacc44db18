"""The compliance award (公约遵守奖): each member's entitlement, who is withheld, and the workflow of
award runs.

The computation (DESIGN.md section 3, Nanhai covenant opinions). A village or cooperative sets a
fund for an award period (from collective dividends; calendar years by default) and a rule: equal
per member, or in proportion to their shares (covenants.choices.AwardRule). Each member's
entitlement is fixed over the WHOLE membership before anyone is excluded; a member who kept the
covenant receives it in full (全额发放), a member with a confirmed violation occurring within the
run's own period receives nothing and that part stays in the fund (the run's kept amount). A
payout never depends on another member's conduct: sum(payouts) + kept = fund.

- `allocate(fund_fen, shares_by_person, rule)` is pure integer arithmetic (never floats): every
  member first gets the floor of their part, then the few fen left over (always fewer than the
  number of members) go one at a time by REMAINDER_RULE; the entitlements add up to the fund;
- `members_of(division, period)` reads the members of the division's cooperatives on the period's
  last day, shares summed per person, in one query;
- `withheld_reasons(person_ids, period)` reads, in one query, the standing violations (confirmed,
  not lifted by an upheld appeal) of clauses that withhold the award occurring within the period
  itself (a quarter run: that quarter only), and says why for each person;
- `award_lines(...)` puts them together, pure, and `compute_award(...)` reads what it needs: a
  constant number of queries (two) whatever the number of members.

The workflow. A run is previewed by a clerk of the village (or the district), recomputed as
often as needed while it is a preview, then approved by another user holding the approve right
where the run lies (a town official, the district): four eyes. Approval freezes exactly the payouts that were
previewed: it does not recompute them, so what the approver saw is what is paid, and a violation
confirmed after the preview is taken into account only by recomputing before approving. A frozen
run is never recomputed nor discarded, and a division has at most one approved run per period
(the database constraint award_one_approved_run_per_period backs the service's field error).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from covenants.choices import AWARD_LEVELS, AwardRule, AwardRunStatus
from covenants.models import AwardPayout, AwardRun
from covenants.services.actions import CovenantsAction
from covenants.services.periods import period_field
from covenants.services.sanctions import facts_of, standing_violations
from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.clock import today
from governance.guards import is_own_record, require_another_user, require_permission_at
from governance.money import yuan_to_fen
from governance.periods import Period

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from villages.models import Division

# Shares are kept with 2 decimal places (villages.Membership.shares, AwardPayout.shares): times
# SHARE_SCALE they are whole numbers, so a share-weighted split stays in integer arithmetic.
SHARE_SCALE = 100

# The largest-remainder method (Hamilton's): after every member has the floor of
# fund × weight / total weight, the fen left over (fewer than the members) go one each to the
# members with the largest remainders, ties broken by the person's id ascending (the earliest
# registered first). Under the equal rule every remainder is the same, so the extra fen go to the
# lowest ids. The same input always gives the same entitlements (docs/domain.md, "Compliance
# award"). It runs over the whole membership, before anyone is withheld.
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
    """Each member's entitlement to `fund_fen` (person id → shares, the WHOLE membership, before
    anyone is withheld) by `rule`, in fen.

    The entitlements add up exactly to the fund: floors first, then the remainder by
    REMAINDER_RULE. Under the by-shares rule a member with no shares is entitled to 0; when no
    member has any shares (or there is no member at all) there is nothing to share by: a field
    error.
    """
    if fund_fen <= 0:
        raise ValidationError({"fund_yuan": _("奖励资金必须大于零。")})
    if not shares_by_person:
        raise ValidationError({"division": _("该区划在本期没有成员，无法分配奖励资金。")})
    weights = _weights(shares_by_person, rule)
    total = sum(weights.values())
    if total == 0:
        raise ValidationError({"rule": _("成员均无股份，不能按股份比例分配，请改为按人平均。")})
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
    """One member's line of an award run, before it is written as an AwardPayout: the entitlement
    (fixed over the whole membership) and the amount paid (the entitlement in full, or 0 when
    withheld: the entitlement then stays in the fund)."""

    person_id: int
    shares: Decimal
    eligible: bool
    withheld_reason: str
    entitlement_fen: int
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


def withholding_violations(person_ids, period: Period) -> dict[int, list]:
    """Per person, the violations that withhold the award of `period`: standing (confirmed, not
    lifted by an upheld appeal), of a clause that withholds the award, occurring within the
    period itself, from its first day to its last (a quarter run: that quarter only; a year run:
    the year). Read directly from the facts (covenants.services.sanctions.standing_violations),
    not through the calendar-year sanction: one query."""
    rows = standing_violations(person_ids).filter(
        clause__withholds_award=True, occurred_on__gte=period.start, occurred_on__lte=period.end
    )
    by_person: dict[int, list] = {}
    for fact in facts_of(rows):
        by_person.setdefault(fact.person_id, []).append(fact)
    return by_person


def withheld_reason_text(facts) -> str:
    """Why a member is withheld: each violation (covenant, clause, record, the day it occurred),
    then that nothing is paid and the entitlement stays in the fund; at most
    WITHHELD_REASON_MAX_LENGTH characters, the consequence always whole."""
    consequence = _("本期内违约，不发放；其应得部分留存奖励资金。")
    causes = "；".join(
        _("违反《%(covenant)s》第%(number)s条（违约记录 %(violation)s，%(occurred_on)s 发生）")
        % {
            "covenant": fact.covenant_title,
            "number": fact.clause_number,
            "violation": fact.id,
            "occurred_on": fact.occurred_on.isoformat(),
        }
        for fact in facts
    )
    room = WITHHELD_REASON_MAX_LENGTH - len(consequence) - 1
    if len(causes) > room:
        causes = causes[: room - 1] + "…"
    return f"{causes}。{consequence}"


def withheld_reasons(person_ids, period: Period) -> dict[int, str]:
    """Whose award the period withholds (withholding_violations), each with the reason text. One
    query."""
    return {
        person_id: withheld_reason_text(facts)
        for person_id, facts in withholding_violations(person_ids, period).items()
    }


def award_lines(
    members: Mapping[int, Decimal], withheld: Mapping[int, str], fund_fen: int, rule: str
) -> list[AwardLine]:
    """Every member's line, pure: entitlements over the whole membership first (allocate), then
    the withheld (person id → reason) at 0, their entitlement staying in the fund, the others paid
    their entitlement in full. A keeper's line depends on the membership, the fund and the rule
    alone, never on who else is withheld."""
    entitlements = allocate(fund_fen, members, rule)
    return [
        AwardLine(
            person_id=person_id,
            shares=shares,
            eligible=person_id not in withheld,
            withheld_reason=withheld.get(person_id, ""),
            entitlement_fen=entitlements[person_id],
            amount_fen=0 if person_id in withheld else entitlements[person_id],
        )
        for person_id, shares in members.items()
    ]


def compute_award(division_code: str, period: Period, fund_fen: int, rule: str) -> list[AwardLine]:
    """Every member of the division in the period with their line (award_lines). Two queries,
    whatever the number of members."""
    members = members_of(division_code, period)
    withheld = withheld_reasons(members, period) if members else {}
    return award_lines(members, withheld, fund_fen, rule)


# --- award runs ---------------------------------------------------------------------------------

# The largest fund a run takes: AwardRun.fund_fen is a bigint, but a fund of a trillion yuan is
# a typing error, not a dividend.
MAX_FUND_YUAN = Decimal("999999999999.99")


def fund_fen_from_yuan(value) -> int:
    """A fund entered in yuan (at most 2 decimal places, positive) as fen; field errors otherwise."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({"fund_yuan": _("请输入以元为单位的金额，例如 10000.00。")}) from None
    if not amount.is_finite():
        raise ValidationError({"fund_yuan": _("请输入以元为单位的金额，例如 10000.00。")})
    if amount <= 0:
        raise ValidationError({"fund_yuan": _("奖励资金必须大于零。")})
    if amount > MAX_FUND_YUAN:
        raise ValidationError({"fund_yuan": _("奖励资金过大，请核对。")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"fund_yuan": _("金额最多保留两位小数（到分）。")})
    return yuan_to_fen(amount)


def _fund_fen(fund_yuan, fund_fen: int | None) -> int:
    if fund_fen is not None:
        if fund_yuan is not None:
            raise TypeError("give the fund in yuan or in fen, not both")
        if not isinstance(fund_fen, int) or fund_fen <= 0:
            raise ValidationError({"fund_yuan": _("奖励资金必须大于零。")})
        return fund_fen
    if fund_yuan is None or str(fund_yuan).strip() == "":
        raise ValidationError({"fund_yuan": _("请填写奖励资金。")})
    return fund_fen_from_yuan(fund_yuan)


def _refuse_a_second_approved_run(division_code: str, period: str, *, but: int | None = None) -> None:
    approved = AwardRun.objects.filter(division_id=division_code, period=period, status=AwardRunStatus.APPROVED)
    if but is not None:
        approved = approved.exclude(pk=but)
    if approved.exists():
        raise ValidationError(
            {"period": _("该区划%(period)s期间已有批准的发放批次，不能再发放。") % {"period": period}}
        )


def write_payouts(run: AwardRun) -> list[AwardPayout]:
    """The run's payouts computed from its fund and rule (compute_award) and written: two queries
    to compute, one to write."""
    lines = compute_award(run.division_id, Period.parse(run.period), run.fund_fen, run.rule)
    return AwardPayout.objects.bulk_create(
        AwardPayout(
            run=run,
            person_id=line.person_id,
            shares=line.shares,
            eligible=line.eligible,
            withheld_reason=line.withheld_reason,
            entitlement_fen=line.entitlement_fen,
            amount_fen=line.amount_fen,
        )
        for line in lines
    )


def may_recompute_award_run(user, run: AwardRun) -> bool:
    return run.status == AwardRunStatus.PREVIEW and holds_in(user, "covenants.change_awardrun", run.division_id)


def may_discard_award_run(user, run: AwardRun) -> bool:
    return may_recompute_award_run(user, run)


def may_approve_award_run(user, run: AwardRun) -> bool:
    """The approve right where the run lies, and not its creator (four eyes)."""
    return (
        run.status == AwardRunStatus.PREVIEW
        and not is_own_record(run.created_by_id, user)
        and holds_in(user, "covenants.approve_awardrun", run.division_id)
    )


def preview_award_run(
    *,
    acting_user: AbstractBaseUser,
    division: Division,
    period: str,
    rule: str = AwardRule.EQUAL,
    fund_yuan: Decimal | str | None = None,
    fund_fen: int | None = None,
) -> AwardRun:
    """A new run of a village or cooperative for an award period, as a preview: the fund (in yuan
    with at most 2 decimals, or in fen) divided into entitlements over all its members by `rule`,
    the withheld members at 0 with their reason (their entitlement stays in the fund). Nothing is
    paid until another user approves it."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.PREVIEW_AWARD_RUN):
        require_permission_at(acting_user, "covenants.add_awardrun", division.code)
        if division.level not in AWARD_LEVELS:
            raise ValidationError({"division": _("公约遵守奖只能由村（社区）或经济社发放。")})
        label = period_field(period).label
        if rule not in AwardRule.values:
            raise ValidationError({"rule": _("分配办法只能是“按人平均”或“按股份比例”。")})
        fen = _fund_fen(fund_yuan, fund_fen)
        _refuse_a_second_approved_run(division.code, label)
        run = AwardRun(
            division=division,
            period=label,
            fund_fen=fen,
            rule=rule,
            created_by=acting_user,
            computed_on=today(),
        )
        run.full_clean()
        run.save()
        write_payouts(run)
        return run


def recompute_award_run(run: AwardRun, *, acting_user: AbstractBaseUser) -> AwardRun:
    """Compute a preview's payouts again from today's members and sanctions. A frozen (approved)
    or discarded run is never recomputed: what was approved stays what is paid."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.RECOMPUTE_AWARD_RUN):
        run = AwardRun.objects.select_for_update().get(pk=run.pk)
        require_permission_at(acting_user, "covenants.change_awardrun", run.division_id)
        if run.status != AwardRunStatus.PREVIEW:
            raise ValidationError(
                {"status": _("“%(status)s”的发放批次不能重新计算。") % {"status": run.get_status_display()}}
            )
        run.payouts.all().delete()
        write_payouts(run)
        run.computed_on = today()
        run.save(update_fields=["computed_on"])
        return run


def approve_award_run(run: AwardRun, *, acting_user: AbstractBaseUser) -> AwardRun:
    """Another user than the creator, holding the approve right where the run lies, approves a
    preview: it is frozen with exactly the payouts that were previewed (not recomputed)."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.APPROVE_AWARD_RUN):
        run = AwardRun.objects.select_for_update().get(pk=run.pk)
        require_permission_at(acting_user, "covenants.approve_awardrun", run.division_id)
        require_another_user(run.created_by_id, acting_user)
        if run.status != AwardRunStatus.PREVIEW:
            raise ValidationError(
                {"status": _("“%(status)s”的发放批次不能批准。") % {"status": run.get_status_display()}}
            )
        _refuse_a_second_approved_run(run.division_id, run.period, but=run.pk)
        run.status = AwardRunStatus.APPROVED
        run.approved_by = acting_user
        run.approved_at = timezone.now()
        try:
            # A run approved meanwhile by someone else (the check above read before it committed)
            # meets the constraint award_one_approved_run_per_period: the same field error.
            with transaction.atomic():
                run.save(update_fields=["status", "approved_by", "approved_at"])
        except IntegrityError:
            raise ValidationError(
                {"period": _("该区划%(period)s期间已有批准的发放批次，不能再发放。") % {"period": run.period}}
            ) from None
        return run


def discard_award_run(run: AwardRun, *, acting_user: AbstractBaseUser) -> AwardRun:
    """Set a preview aside (a wrong fund, a wrong rule); it stays, marked discarded, for the
    record. An approved run cannot be discarded: it is what was paid."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.DISCARD_AWARD_RUN):
        run = AwardRun.objects.select_for_update().get(pk=run.pk)
        require_permission_at(acting_user, "covenants.change_awardrun", run.division_id)
        if run.status != AwardRunStatus.PREVIEW:
            raise ValidationError(
                {"status": _("“%(status)s”的发放批次不能作废。") % {"status": run.get_status_display()}}
            )
        run.status = AwardRunStatus.DISCARDED
        run.save(update_fields=["status"])
        return run
