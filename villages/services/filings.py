"""Filing a position (任职备案) with the town or county, and deciding it: the clerk submits,
someone else holding the approval right over the receiving division decides (four eyes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.guards import NOT_PERMITTED_HERE, is_own_record, require_another_user, require_permission_at
from villages.choices import OPEN_FILING_STATUSES, FilingStatus
from villages.models import Position, PositionFiling
from villages.services.actions import VillagesAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def holds_receiving_side_or_grant(user, filing: PositionFiling) -> bool:
    """Approval over the filing's division is not enough: the filing goes to the town or the
    county, so the approver must hold the right over that receiving division, unless the
    filing was granted to them one by one."""
    from guardian.shortcuts import get_perms

    if holds_in(user, "villages.approve_positionfiling", filing.filed_with_id):
        return True
    return "approve_positionfiling" in get_perms(user, filing)


def may_submit_filing(user, position: Position, latest_filing: PositionFiling | None) -> bool:
    """Whether submit_filing would accept `position` from `user`, given the latest filing of it
    the caller found: its kind is filed (备案), no filing is open (a returned one may be filed
    again), and the user may submit filings where it is held. Pages ask this before they offer
    报备; the database's filing_one_open_per_position still has the last word."""
    return (
        position.filing_division_code() is not None
        and (latest_filing is None or latest_filing.status == FilingStatus.RETURNED)
        and holds_in(user, "villages.add_positionfiling", position.division_id)
    )


def may_decide_filing(user, filing: PositionFiling) -> bool:
    """Whether decide_filing would let `user` decide `filing` now: it waits for a decision, the
    user holds the receiving side (or a grant), and did not submit it (four eyes). Pages ask
    this before they offer the decision."""
    return (
        filing.status == FilingStatus.SUBMITTED
        and not is_own_record(filing.submitted_by_id, user)
        and holds_receiving_side_or_grant(user, filing)
    )


def submit_filing(position: Position, *, acting_user: AbstractBaseUser) -> PositionFiling:
    """File a position (备案) with the division its kind is filed with: the town for a
    cooperative head, the district (county) for a village party secretary."""
    filed_with_code = position.filing_division_code()
    if filed_with_code is None:
        raise ValidationError({"position": _("该职务无需备案。")})
    with transaction.atomic(), acting_as(acting_user, action=VillagesAction.SUBMIT_FILING):
        # Two clerks submitting the same position at once: the second waits here, then finds
        # the first one's filing open (the partial unique index would refuse it anyway).
        position = Position.objects.select_for_update().get(pk=position.pk)
        require_permission_at(acting_user, "villages.add_positionfiling", position.division_id)
        if PositionFiling.objects.filter(position=position, status__in=OPEN_FILING_STATUSES).exists():
            raise ValidationError({"position": _("该任职已报备或已备案。")})
        return PositionFiling.objects.create(position=position, filed_with_id=filed_with_code, submitted_by=acting_user)


def decide_filing(
    filing: PositionFiling, *, acting_user: AbstractBaseUser, accept: bool, note: str = ""
) -> PositionFiling:
    """Accept or return a filing. Only someone holding the approval right over the receiving
    division may decide, and never the person who submitted it (four eyes)."""
    with transaction.atomic(), acting_as(acting_user, action=VillagesAction.DECIDE_FILING):
        filing = PositionFiling.objects.select_for_update().get(pk=filing.pk)
        if not holds_receiving_side_or_grant(acting_user, filing):
            raise PermissionDenied(NOT_PERMITTED_HERE)
        require_another_user(filing.submitted_by_id, acting_user)
        if filing.status != FilingStatus.SUBMITTED:
            raise ValidationError({"status": _("该备案已审核。")})
        filing.status = FilingStatus.ACCEPTED if accept else FilingStatus.RETURNED
        filing.decided_by = acting_user
        filing.decided_at = timezone.now()
        filing.note = note
        filing.save(update_fields=["status", "decided_by", "decided_at", "note"])
        return filing
