"""Changes to the hierarchy that are workflows rather than edits: retiring a division merged
away (撤并) into another."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit import acting_as
from governance.guards import require_permission_at
from villages.choices import Level
from villages.models import Division
from villages.services.actions import VillagesAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def retire_division(
    division: Division, *, into: Division, on: datetime.date, acting_user: AbstractBaseUser
) -> Division:
    """Retire a division merged away (撤并) into another of the same level.

    Nothing attached to it moves or disappears: its people, positions and records stay attached
    to the retired division and remain reportable under its code; `merged_into` tells where its
    successor is.
    """
    with transaction.atomic(), acting_as(acting_user, action=VillagesAction.RETIRE_DIVISION):
        division = Division.objects.select_for_update().get(pk=division.pk)
        require_permission_at(acting_user, "villages.change_division", division.code)
        require_permission_at(acting_user, "villages.change_division", into.code)
        if division.retired_on is not None:
            raise ValidationError({"division": _("该区划已撤销。")})
        if into.pk == division.pk or into.code.startswith(division.code):
            raise ValidationError({"into": _("不能并入自身或其下级。")})
        if into.level != division.level:
            raise ValidationError({"into": _("只能并入同一层级的区划。")})
        if into.retired_on is not None:
            raise ValidationError({"into": _("不能并入已撤销的区划。")})
        if division.level == Level.PROVINCE:
            raise ValidationError({"division": _("省级区划不能撤并。")})
        division.retired_on = on
        division.merged_into = into
        division.save(update_fields=["retired_on", "merged_into"])
        return division
