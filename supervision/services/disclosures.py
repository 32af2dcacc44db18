"""Village affairs disclosure (村务公开): a village's disclosure catalogue and the filing of its
disclosures; one function per action, atomic, with the acting user. What is due and overdue is
computed at query time (supervision.querysets), nothing here flags it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit import acting_as
from governance.guards import not_in_the_future, require_permission_at
from supervision.choices import Cadence
from supervision.models import Disclosure, DisclosureItem, deadline_of, period_of
from supervision.services.actions import SupervisionAction
from villages.choices import Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from villages.models import Division


def add_disclosure_item(
    *,
    acting_user: AbstractBaseUser,
    division: Division,
    title: str,
    cadence: str,
    since: datetime.date,
) -> DisclosureItem:
    """An item of a village's disclosure catalogue, due at its cadence from `since` on."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.ADD_DISCLOSURE_ITEM):
        require_permission_at(acting_user, "supervision.add_disclosureitem", division.code)
        if division.level != Level.VILLAGE:
            raise ValidationError({"division": _("公开目录属于村（社区）。")})
        if cadence not in Cadence.values:
            raise ValidationError({"cadence": _("公开频次应为每月、每季度或随时。")})
        item = DisclosureItem(division=division, title=(title or "").strip(), cadence=cadence, since=since)
        item.full_clean()
        item.save()
        return item


def change_disclosure_item(
    item: DisclosureItem,
    *,
    acting_user: AbstractBaseUser,
    title: str,
    cadence: str,
    since: datetime.date,
    until: datetime.date | None,
) -> DisclosureItem:
    """Correct an item of the catalogue: its title, its dates (`until` stops it: nothing falls due
    after it), and its cadence while none of its disclosures is recorded (a filed disclosure's
    period and deadline follow from the cadence it was filed under)."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.CHANGE_DISCLOSURE_ITEM):
        item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
        require_permission_at(acting_user, "supervision.change_disclosureitem", item.division_id)
        if cadence not in Cadence.values:
            raise ValidationError({"cadence": _("公开频次应为每月、每季度或随时。")})
        if cadence != item.cadence and item.disclosures.exists():
            raise ValidationError({"cadence": _("该事项已有公开记录，不能更改公开频次。")})
        if until is not None and since is not None and until < since:
            raise ValidationError({"until": _("停止日期不能早于起始日期。")})
        item.title = (title or "").strip()
        item.cadence = cadence
        item.since = since
        item.until = until
        item.full_clean()
        item.save()
        return item


def file_disclosure(
    item: DisclosureItem,
    *,
    acting_user: AbstractBaseUser,
    period_day: datetime.date,
    filed_on: datetime.date | None,
    content: str = "",
) -> Disclosure:
    """File (or record) the disclosure of an item: for a periodic item, the month or quarter that
    holds `period_day`; for a major matter, the matter decided on `period_day`. Its deadline
    follows from the cadence (DISCLOSURE_GRACE_DAYS). Filing it again replaces the earlier
    filing of the same period; `filed_on` empty records a major matter not yet disclosed."""
    with transaction.atomic(), acting_as(acting_user, action=SupervisionAction.FILE_DISCLOSURE):
        item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
        require_permission_at(acting_user, "supervision.add_disclosure", item.division_id)
        periodic = item.cadence != Cadence.AT_ONCE
        start = period_of(item.cadence, period_day)[0] if periodic else period_day
        # The first period due is the one holding `since` (as the due disclosures are generated).
        first = period_of(item.cadence, item.since)[0] if periodic else item.since
        if start < first or (item.until and start > item.until):
            raise ValidationError({"period_day": _("该期间不在公开事项的公开时段内。")})
        not_in_the_future("filed_on", filed_on)
        if filed_on is not None and filed_on < start:
            raise ValidationError({"filed_on": _("公开日期不能早于所属期间。")})
        disclosure, _created = Disclosure.objects.update_or_create(
            item=item,
            period_start=start,
            defaults={
                "due_on": deadline_of(item.cadence, start),
                "filed_on": filed_on,
                "content": content,
                "filed_by": acting_user,
            },
        )
        return disclosure
