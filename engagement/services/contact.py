"""Direct contact: filling one of a village's five links (五挂钩), ending it, recording contact days
(组织直联日), correcting and deleting one.

Every function is atomic, takes the acting user by keyword, re-checks their right over the
division inside its transaction and is audited (governance.audit.acting_as). Field errors are
raised on the field they concern, in Chinese (the API's 400, the pages' form errors)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engagement.choices import CONTACT_DAY_LEVELS, SINGLE_LINKS, LinkKind
from engagement.models import ContactDay, ContactLink
from engagement.services.actions import EngagementAction
from governance.audit import acting_as
from governance.guards import not_in_the_future, require_permission_at
from villages.choices import Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# The audit trail's names of the corrections of a contact day (beside EngagementAction's).
CHANGE_CONTACT_DAY = "change_contact_day"
DELETE_CONTACT_DAY = "delete_contact_day"
# The fields of a contact day that may be corrected after it was recorded.
CONTACT_DAY_FIELDS = ("held_on", "attendees", "matters_raised", "matters_settled")


def _division_level(code: str) -> str | None:
    division = apps.get_model("villages", "Division")
    return division.objects.filter(code=code).values_list("level", flat=True).first()


def fill_link(
    *, acting_user: AbstractBaseUser, village_code: str, kind: str, holder: str, since: datetime.date, title: str = ""
) -> ContactLink:
    """Give a village one of its five links. A single link's previous holder ends the day before
    (one holder at a time); deputies and members are added beside each other."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.FILL_LINK):
        require_permission_at(acting_user, "engagement.add_contactlink", village_code)
        if _division_level(village_code) != Level.VILLAGE:
            raise ValidationError({"division": [_("五挂钩只能登记在村（社区）。")]})
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
    """End a link on `until` (its last day): no earlier than its start, once."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.END_LINK):
        link = ContactLink.objects.select_for_update().get(pk=link.pk)
        require_permission_at(acting_user, "engagement.change_contactlink", link.division_id)
        if link.until is not None:
            raise ValidationError({"until": [_("该挂钩已结束。")]})
        if until < link.since:
            raise ValidationError({"until": [_("结束日期不能早于挂钩日期。")]})
        link.until = until
        link.full_clean()
        link.save(update_fields=["until"])
        return link


def _check_contact_day(day: ContactDay) -> None:
    """A contact day is held in a town or a village (community), once a day there, not in the future."""
    if _division_level(day.division_id) not in CONTACT_DAY_LEVELS:
        raise ValidationError({"division": [_("组织直联日只能登记在镇（街道）或村（社区）。")]})
    not_in_the_future("held_on", day.held_on)
    same_day = ContactDay.objects.filter(division_id=day.division_id, held_on=day.held_on).exclude(pk=day.pk)
    if same_day.exists():
        raise ValidationError({"held_on": [_("该镇村当天已登记过组织直联日。")]})


def record_contact_day(
    *, acting_user: AbstractBaseUser, division_code: str, held_on: datetime.date, **fields
) -> ContactDay:
    """A direct-contact day held (组织直联日); one per division and day. A day that is not a Tuesday
    is recorded all the same (a holiday may move it): the pages warn, `on_contact_weekday` says."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.RECORD_CONTACT_DAY):
        require_permission_at(acting_user, "engagement.add_contactday", division_code)
        day = ContactDay(division_id=division_code, held_on=held_on, **fields)
        _check_contact_day(day)
        day.full_clean()
        day.save()
        return day


def change_contact_day(day: ContactDay, *, acting_user: AbstractBaseUser, **fields) -> ContactDay:
    """Correct a contact day's date, attendees or matters (CONTACT_DAY_FIELDS)."""
    with transaction.atomic(), acting_as(acting_user, action=CHANGE_CONTACT_DAY):
        day = ContactDay.objects.select_for_update().get(pk=day.pk)
        require_permission_at(acting_user, "engagement.change_contactday", day.division_id)
        for name, value in fields.items():
            if name not in CONTACT_DAY_FIELDS:
                raise ValidationError({name: [_("该字段不能修改。")]})
            setattr(day, name, value)
        _check_contact_day(day)
        day.full_clean()
        day.save()
        return day


def delete_contact_day(day: ContactDay, *, acting_user: AbstractBaseUser) -> None:
    """Delete a contact day recorded by mistake (who may delete it: the district, engagement.grants)."""
    with transaction.atomic(), acting_as(acting_user, action=DELETE_CONTACT_DAY):
        day = ContactDay.objects.select_for_update().get(pk=day.pk)
        require_permission_at(acting_user, "engagement.delete_contactday", day.division_id)
        day.delete()
