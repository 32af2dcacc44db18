"""Visits: a visiting cadre's visit to a village, a group (经济社) or a household."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engagement.models import Visit, VisitingCadre
from engagement.services.actions import EngagementAction
from governance.audit import acting_as
from governance.guards import require_permission_at

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def record_visit(
    *,
    acting_user: AbstractBaseUser,
    visitor: VisitingCadre,
    division_code: str,
    visited_on: datetime.date,
    household=None,
    raised: str = "",
    outcome: str = "",
) -> Visit:
    """Record a visit where the recording user may add visits (the visited division)."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.RECORD_VISIT):
        require_permission_at(acting_user, "engagement.add_visit", division_code)
        if not visitor.active:
            raise ValidationError({"visitor": [_("该走访干部已不在任。")]})
        if not division_code.startswith(visitor.division_id):
            raise ValidationError({"division": [_("走访的村社不在该干部所在区镇。")]})
        visit = Visit(
            visitor=visitor,
            division_id=division_code,
            household=household,
            visited_on=visited_on,
            raised=raised,
            outcome=outcome,
            recorded_by=acting_user,
        )
        visit.full_clean()
        visit.save()
        return visit
