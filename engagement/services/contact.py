"""Direct contact: filling one of a village's five links (五挂钩), ending it, recording contact days."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engagement.choices import SINGLE_LINKS, LinkKind
from engagement.models import ContactDay, ContactLink
from engagement.services.actions import EngagementAction
from governance.audit import acting_as
from governance.guards import not_in_the_future, require_permission_at

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def fill_link(
    *, acting_user: AbstractBaseUser, village_code: str, kind: str, holder: str, since: datetime.date, title: str = ""
) -> ContactLink:
    """Give a village one of its five links. A single link's previous holder ends the day before
    (one holder at a time); deputies and members are added beside each other."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.FILL_LINK):
        require_permission_at(acting_user, "engagement.add_contactlink", village_code)
        if kind not in LinkKind.values:
            raise ValidationError({"kind": [_("挂钩类别无效。")]})
        if kind in SINGLE_LINKS:
            for previous in ContactLink.objects.select_for_update().filter(
                division_id=village_code, kind=kind, until__isnull=True
            ):
                if previous.since >= since:
                    raise ValidationError({"since": [_("挂钩日期须晚于现任挂钩的开始日期。")]})
                previous.until = since - datetime.timedelta(days=1)
                previous.save(update_fields=["until"])
        link = ContactLink(division_id=village_code, kind=kind, holder=holder, title=title, since=since)
        link.full_clean()
        link.save()
        return link


def end_link(link: ContactLink, *, acting_user: AbstractBaseUser, until: datetime.date) -> ContactLink:
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.END_LINK):
        link = ContactLink.objects.select_for_update().get(pk=link.pk)
        require_permission_at(acting_user, "engagement.change_contactlink", link.division_id)
        if link.until is not None:
            raise ValidationError({"until": [_("该挂钩已结束。")]})
        link.until = until
        link.full_clean()
        link.save(update_fields=["until"])
        return link


def record_contact_day(
    *, acting_user: AbstractBaseUser, division_code: str, held_on: datetime.date, **fields
) -> ContactDay:
    """A direct-contact day held (组织直联日); one per division and day."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.RECORD_CONTACT_DAY):
        require_permission_at(acting_user, "engagement.add_contactday", division_code)
        not_in_the_future("held_on", held_on)
        day = ContactDay(division_id=division_code, held_on=held_on, **fields)
        day.full_clean()
        day.save()
        return day
