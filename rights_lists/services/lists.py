"""Lists (事权清单) and their versions: a draft created or copied from the version before, its
items imported from XLSX, published (the version before superseded), and a district template
adopted by every village of a town. One function per action, atomic, with the acting user
(services/__init__.py)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from governance.audit import acting_as, keep_audit_triggers_linear
from governance.clock import today
from governance.guards import require_permission_at
from rights_lists import xlsx
from rights_lists.choices import TOWN_CODE_LENGTH, ListStatus
from rights_lists.models import Adoption, ListItem, RightsList
from rights_lists.services.actions import RightsListsAction
from villages.models import Division, Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# The fields of an item a new version copies.
ITEM_FIELDS = (
    "number",
    "title",
    "category",
    "basis",
    "responsible_body",
    "procedure",
    "full_procedure_above_fen",
    "publicity_days",
)


def create_list(*, acting_user: AbstractBaseUser, owner: Division, kind: str, title: str) -> RightsList:
    """A new list of a division, version 1 (or the next version number of its kind), as a draft."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.CREATE_LIST):
        require_permission_at(acting_user, "rights_lists.add_rightslist", owner.code)
        latest = RightsList.objects.filter(owner=owner, kind=kind).aggregate(latest=Max("version"))["latest"]
        rights_list = RightsList(owner=owner, kind=kind, title=title, version=(latest or 0) + 1)
        rights_list.full_clean()
        rights_list.save()
        return rights_list


def new_version(rights_list: RightsList, *, acting_user: AbstractBaseUser) -> RightsList:
    """The next version of a list, as a draft with a copy of every item of this one (one INSERT).
    Decisions stay on the items of the version they were made under."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.NEW_LIST_VERSION):
        rights_list = RightsList.objects.select_for_update().get(pk=rights_list.pk)
        require_permission_at(acting_user, "rights_lists.add_rightslist", rights_list.owner_id)
        siblings = RightsList.objects.filter(owner_id=rights_list.owner_id, kind=rights_list.kind)
        if siblings.filter(status=ListStatus.DRAFT).exists():
            raise ValidationError({"version": _("该清单已有未发布的草稿版本，请先发布或完成该草稿。")})
        latest = siblings.aggregate(latest=Max("version"))["latest"]
        draft = RightsList.objects.create(
            owner_id=rights_list.owner_id,
            kind=rights_list.kind,
            title=rights_list.title,
            version=latest + 1,
            previous=rights_list,
        )
        ListItem.objects.bulk_create(
            ListItem(list=draft, **row) for row in rights_list.items.order_by("id").values(*ITEM_FIELDS)
        )
        return draft


def publish_list(
    rights_list: RightsList,
    *,
    acting_user: AbstractBaseUser,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> RightsList:
    """Put a draft version in force from `valid_from`. The version published before it is
    superseded (valid until the day before), and the adoptions of a template follow it to the new
    version in one UPDATE."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.PUBLISH_LIST):
        rights_list = RightsList.objects.select_for_update().get(pk=rights_list.pk)
        require_permission_at(acting_user, "rights_lists.change_rightslist", rights_list.owner_id)
        if rights_list.status != ListStatus.DRAFT:
            raise ValidationError({"status": _("只有草稿版本可以发布。")})
        if not rights_list.items.exists():
            raise ValidationError({"status": _("没有事项的清单不能发布。")})
        if valid_until is not None and valid_until < valid_from:
            raise ValidationError({"valid_until": _("失效日期不能早于施行日期。")})
        earlier = list(
            RightsList.objects.select_for_update().filter(
                owner_id=rights_list.owner_id, kind=rights_list.kind, status=ListStatus.PUBLISHED
            )
        )
        for old in earlier:
            if old.valid_from > valid_from:
                raise ValidationError(
                    {"valid_from": _("施行日期不能早于现行版本的施行日期（%(day)s）。") % {"day": old.valid_from}}
                )
            old.status = ListStatus.SUPERSEDED
            day_before = valid_from - datetime.timedelta(days=1)
            if old.valid_until is None or old.valid_until > day_before:
                old.valid_until = max(day_before, old.valid_from)
            old.save(update_fields=["status", "valid_until"])
        rights_list.status = ListStatus.PUBLISHED
        rights_list.valid_from = valid_from
        rights_list.valid_until = valid_until
        rights_list.save(update_fields=["status", "valid_from", "valid_until"])
        if earlier:
            already = Adoption.objects.filter(template=rights_list).values("division_id")
            Adoption.objects.filter(template__in=earlier).exclude(division_id__in=already).update(template=rights_list)
        return rights_list


def adopt_template(
    template: RightsList,
    *,
    acting_user: AbstractBaseUser,
    town: Division,
    adopted_on: datetime.date | None = None,
) -> int:
    """Every active village of `town` adopts a district template, in one INSERT (villages that had
    adopted it already are left as they are). Returns how many villages adopted it now."""
    adopted_on = adopted_on or today()
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.ADOPT_TEMPLATE):
        template = RightsList.objects.select_for_update().get(pk=template.pk)
        require_permission_at(acting_user, "rights_lists.add_adoption", town.code)
        if len(town.code) != TOWN_CODE_LENGTH:
            raise ValidationError({"town": _("请选择一个镇（街道）。")})
        if not template.is_template or not town.code.startswith(template.owner_id):
            raise ValidationError({"template": _("只能采用本区制定的清单模板。")})
        if template.status != ListStatus.PUBLISHED:
            raise ValidationError({"template": _("只能采用已发布的清单模板。")})
        with connection.cursor() as cursor:
            keep_audit_triggers_linear(cursor)
        villages = (
            Division.objects.filter(parent_id=town.code, level=Level.VILLAGE, retired_on__isnull=True)
            .exclude(adopted_lists__template=template)
            .values_list("code", flat=True)
        )
        rows = Adoption.objects.bulk_create(
            Adoption(template=template, division_id=code, adopted_on=adopted_on, adopted_by=acting_user)
            for code in villages
        )
        return len(rows)


def import_items(rights_list: RightsList, *, acting_user: AbstractBaseUser, file) -> list[ListItem]:
    """Add the items of an XLSX file (rights_lists.xlsx's template) to a draft list: every row or
    none, a bad row reported with its number and field."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.IMPORT_ITEMS):
        rights_list = RightsList.objects.select_for_update().get(pk=rights_list.pk)
        require_permission_at(acting_user, "rights_lists.add_listitem", rights_list.owner_id)
        if not rights_list.is_editable:
            raise ValidationError({"file": _("只能向草稿版本导入事项；请先建立新版本。")})
        taken = set(rights_list.items.values_list("number", flat=True))
        items = xlsx.read_items(file, taken_numbers=taken)
        for item in items:
            item.list = rights_list
        return ListItem.objects.bulk_create(items)
