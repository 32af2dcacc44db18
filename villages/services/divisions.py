"""Changes to the hierarchy that are workflows rather than edits: retiring a division merged
away (撤并) into another."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit import acting_as
from governance.guards import not_in_the_future, require_permission_at
from villages.choices import MERGE_WITHIN_PARENT, Level
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
    successor is, and from `on` they count as the successor's (its area: Division.objects.
    area_codes; per-unit reports: governance.reporting.per_unit). The successor has the same
    parent (MERGE_WITHIN_PARENT: a village merges into a village of its town), and the day is not
    in the future (what is retired is no longer active).
    """
    with transaction.atomic(), acting_as(acting_user, action=VillagesAction.RETIRE_DIVISION):
        # Both rows locked, in code order (two merges of the same pair, crossed, wait in turn):
        # the successor read here is the one committed, not retired meanwhile.
        locked = {row.pk: row for row in Division.objects.select_for_update().filter(pk__in=[division.pk, into.pk])}
        division, into = locked[division.pk], locked[into.pk]
        require_permission_at(acting_user, "villages.change_division", division.code)
        require_permission_at(acting_user, "villages.change_division", into.code)
        if division.retired_on is not None:
            raise ValidationError({"division": already_retired(division)})
        if into.pk == division.pk or into.code.startswith(division.code):
            raise ValidationError({"into": _("不能并入自身或其下级。")})
        if into.level != division.level:
            raise ValidationError({"into": _("只能并入同一层级的区划。")})
        if into.retired_on is not None:
            raise ValidationError({"into": _("不能并入已撤销的区划。")})
        if division.level == Level.PROVINCE:
            raise ValidationError({"division": _("省级区划不能撤并。")})
        if MERGE_WITHIN_PARENT and into.parent_id != division.parent_id:
            raise ValidationError({"into": _("只能并入同一上级区划下的区划（村并入本镇（街道）的村）。")})
        not_in_the_future("on", on)
        division.retired_on = on
        division.merged_into = into
        division.save(update_fields=["retired_on", "merged_into"])
        return division


def already_retired(division: Division) -> str:
    """The refusal of a second merger of a division: when, and where it went."""
    figures = {"name": division.name, "day": division.retired_on.isoformat()}
    if division.merged_into_id is None:
        return _("%(name)s已于 %(day)s 撤销，不能再次撤并。") % figures
    return _("%(name)s已于 %(day)s 撤销并入%(into)s，不能再次撤并。") % {**figures, "into": division.merged_into.name}
