"""Workflow actions of compliance award runs (公约遵守奖), re-exported by covenants.services.

A run is previewed by a clerk of the village (or the district), recomputed as often as needed
while it is a preview, then approved by another user holding the approve right where the run
lies (a town official, the district): four eyes. Approval freezes exactly the payouts that were
previewed: it does not recompute them, so what the approver saw is what is paid, and a violation
confirmed after the preview is taken into account only by recomputing before approving. A frozen
run is never recomputed nor discarded, and a division has at most one approved run per period
(the database constraint award_one_approved_run_per_period backs the service's field error).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covenants.awards import compute_award
from covenants.choices import AwardRule, AwardRunStatus
from covenants.models import AwardPayout, AwardRun
from covenants.services import CovenantsAction, _require
from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.money import yuan_to_fen
from governance.periods import Period

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from villages.models import Division

# Award runs are set by a village (村/社区) or a cooperative (经济社): the levels that hold
# collective dividends (Nanhai covenant opinions).
AWARD_LEVELS = ("village", "cooperative")
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


def _period(label: str) -> Period:
    try:
        return Period.parse(label)
    except ValidationError as error:
        raise ValidationError({"period": error.messages}) from None


def _refuse_a_second_approved_run(division_code: str, period: str, *, but: int | None = None) -> None:
    approved = AwardRun.objects.filter(division_id=division_code, period=period, status=AwardRunStatus.APPROVED)
    if but is not None:
        approved = approved.exclude(pk=but)
    if approved.exists():
        raise ValidationError(
            {"period": _("该区划%(period)s期间已有批准的发放批次，不能再发放。") % {"period": period}}
        )


def _write_payouts(run: AwardRun) -> list[AwardPayout]:
    lines = compute_award(run.division_id, Period.parse(run.period), run.fund_fen, run.rule)
    return AwardPayout.objects.bulk_create(
        AwardPayout(
            run=run,
            person_id=line.person_id,
            shares=line.shares,
            eligible=line.eligible,
            withheld_reason=line.withheld_reason,
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
        and run.created_by_id != user.pk
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
    with at most 2 decimals, or in fen) shared among its members by `rule`, with the withheld
    members at 0 and their reason. Nothing is paid until another user approves it."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.PREVIEW_AWARD_RUN):
        _require(acting_user, "covenants.add_awardrun", division.code)
        if division.level not in AWARD_LEVELS:
            raise ValidationError({"division": _("公约遵守奖只能由村（社区）或经济社发放。")})
        label = _period(period).label
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
            computed_on=datetime.date.today(),
        )
        run.full_clean()
        run.save()
        _write_payouts(run)
        return run


def recompute_award_run(run: AwardRun, *, acting_user: AbstractBaseUser) -> AwardRun:
    """Compute a preview's payouts again from today's members and sanctions. A frozen (approved)
    or discarded run is never recomputed: what was approved stays what is paid."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.RECOMPUTE_AWARD_RUN):
        run = AwardRun.objects.select_for_update().get(pk=run.pk)
        _require(acting_user, "covenants.change_awardrun", run.division_id)
        if run.status != AwardRunStatus.PREVIEW:
            raise ValidationError(
                {"status": _("“%(status)s”的发放批次不能重新计算。") % {"status": run.get_status_display()}}
            )
        run.payouts.all().delete()
        _write_payouts(run)
        run.computed_on = datetime.date.today()
        run.save(update_fields=["computed_on"])
        return run


def approve_award_run(run: AwardRun, *, acting_user: AbstractBaseUser) -> AwardRun:
    """Another user than the creator, holding the approve right where the run lies, approves a
    preview: it is frozen with exactly the payouts that were previewed (not recomputed)."""
    with transaction.atomic(), acting_as(acting_user, action=CovenantsAction.APPROVE_AWARD_RUN):
        run = AwardRun.objects.select_for_update().get(pk=run.pk)
        _require(acting_user, "covenants.approve_awardrun", run.division_id)
        if run.created_by_id == acting_user.pk:
            raise PermissionDenied(_("不能批准自己创建的发放批次。"))
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
        _require(acting_user, "covenants.change_awardrun", run.division_id)
        if run.status != AwardRunStatus.PREVIEW:
            raise ValidationError(
                {"status": _("“%(status)s”的发放批次不能作废。") % {"status": run.get_status_display()}}
            )
        run.status = AwardRunStatus.DISCARDED
        run.save(update_fields=["status"])
        return run
