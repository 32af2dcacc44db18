"""Village matter admission (村级事项准入): a department's or town's request that a village take on a
matter, judged against the village's three lists (三张清单, DESIGN.md section 2).

One function per action, atomic, with the acting user (services/__init__.py):

- `file_request` records the request and judges it at once: the matter is looked for among the
  items of the village's three lists in force on the request date (its own lists and the district
  templates it adopted: ListItemQuerySet.on_three_lists_of). The filer names the item the matter
  is on, or none; when none is named, an item whose title is the matter (spaces aside) is taken.
  On the duties-by-law or the assisted-duties list (ADMITTING_LISTS) the request is admitted; on
  the negative list (REFUSING_LIST) or on no list it is refused.
- `grant_exception` admits a refused request anyway (例外准入): by a town official who may change
  requests where the village lies, who did not file it (four eyes, also a database constraint),
  with a reason. Only a matter on none of the three lists may be excepted: a matter on the
  village's negative list (负面事项) is never admitted, by exception neither (DESIGN.md section 3;
  Guangyuan plan 负面事项指导清单, Guangxi §20; also a database constraint). A matter on the first
  two lists is admitted when filed and needs no exception.

Who files: a town official (for the town or a department) or the village's clerk recording a
request received (add_admissionrequest, rights_lists/grants.py); who excepts: change_admissionrequest.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.access.querysets import holds_in
from governance.audit import acting_as
from governance.clock import today
from governance.guards import is_own_record, not_in_the_future, require_another_user
from rights_lists.choices import ADMITTING_LISTS, REFUSING_LIST, VILLAGE_CODE_LENGTH, AdmissionOutcome
from rights_lists.models import AdmissionRequest, ListItem
from rights_lists.services.actions import RightsListsAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from villages.models import Division


def outcome_for(list_kind: str | None) -> str:
    """The outcome of a matter found on a list of this kind (None: on none of the three lists)."""
    if list_kind in ADMITTING_LISTS:
        return AdmissionOutcome.ADMITTED
    # On the negative list (REFUSING_LIST), or on no list: never assigned to a village.
    return AdmissionOutcome.REFUSED


def _normalised(text: str) -> str:
    return "".join(text.split())


def find_item(code: str, matter: str, on: datetime.date) -> ListItem | None:
    """The item of the village's three lists in force on the day whose title is the matter (spaces
    aside); the negative list first when it names it too, so that a refusal is never missed."""
    wanted = _normalised(matter)
    found = [item for item in ListItem.objects.on_three_lists_of(code, on) if _normalised(item.title) == wanted]
    found.sort(key=lambda item: (item.list.kind != REFUSING_LIST, item.pk))
    return found[0] if found else None


def may_file(user, code: str) -> bool:
    return holds_in(user, "rights_lists.add_admissionrequest", code)


def exceptable(request: AdmissionRequest) -> bool:
    """Whether an exception may admit the request at all: refused because its matter stands on none
    of the three lists. A matter on the negative list never is; an admitted one needs none."""
    return request.outcome == AdmissionOutcome.REFUSED and request.list_kind != REFUSING_LIST


def may_grant_exception(user, request: AdmissionRequest) -> bool:
    """A request refused for standing on no list (exceptable), a reviewer who may change requests
    where the village lies, not its filer."""
    return (
        exceptable(request)
        and not is_own_record(request.filed_by_id, user)
        and holds_in(user, "rights_lists.change_admissionrequest", request.division_id)
    )


def file_request(
    *,
    acting_user: AbstractBaseUser,
    division: Division,
    requester: str,
    matter: str,
    requested_on: datetime.date,
    item: ListItem | None = None,
) -> AdmissionRequest:
    """Record a request that the village take on a matter, judged against its three lists."""
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.FILE_ADMISSION_REQUEST):
        if not may_file(acting_user, division.code):
            raise PermissionDenied(_("您无权为该村（社区）登记事项准入申请。"))
        if len(division.code) != VILLAGE_CODE_LENGTH:
            raise ValidationError({"division": _("事项准入只针对村（社区）。")})
        requester, matter = requester.strip(), matter.strip()
        if not requester:
            raise ValidationError({"requester": _("请填写提出单位。")})
        if not matter:
            raise ValidationError({"matter": _("请填写事项。")})
        not_in_the_future("requested_on", requested_on)
        if item is not None:
            if not ListItem.objects.on_three_lists_of(division.code, requested_on).filter(pk=item.pk).exists():
                raise ValidationError(
                    {"item": _("所选事项不在该村（社区）%(day)s施行的三张清单中。") % {"day": requested_on}}
                )
            item = ListItem.objects.select_related("list").get(pk=item.pk)
        else:
            item = find_item(division.code, matter, requested_on)
        list_kind = item.list.kind if item is not None else ""
        request = AdmissionRequest(
            division=division,
            requester=requester,
            matter=matter,
            requested_on=requested_on,
            item=item,
            list_kind=list_kind,
            outcome=outcome_for(list_kind or None),
            filed_by=acting_user,
        )
        request.full_clean()
        request.save()
        return request


def grant_exception(
    request: AdmissionRequest,
    *,
    acting_user: AbstractBaseUser,
    reason: str,
    excepted_on: datetime.date | None = None,
) -> AdmissionRequest:
    """Admit a refused request anyway, with a reason: a town official who did not file it, and only
    for a matter on none of the three lists (one on the negative list is a 400 on `item`)."""
    excepted_on = excepted_on or today()
    with transaction.atomic(), acting_as(acting_user, action=RightsListsAction.GRANT_ADMISSION_EXCEPTION):
        request = AdmissionRequest.objects.select_for_update().get(pk=request.pk)
        if not holds_in(acting_user, "rights_lists.change_admissionrequest", request.division_id):
            raise PermissionDenied(_("您无权批准该事项例外准入。"))
        require_another_user(request.filed_by_id, acting_user)
        if request.outcome != AdmissionOutcome.REFUSED:
            raise ValidationError(
                {
                    "reason": _("只有不予准入的申请可以例外准入（当前为“%(outcome)s”）。")
                    % {"outcome": request.get_outcome_display()}
                }
            )
        if request.list_kind == REFUSING_LIST:
            raise ValidationError(
                {
                    "item": _(
                        "该事项在本村（社区）的负面事项清单上，不得准入，也不能例外准入："
                        "例外准入只适用于不在三张清单上的事项。"
                    )
                }
            )
        if not reason.strip():
            raise ValidationError({"reason": _("请填写例外准入理由。")})
        if excepted_on < request.requested_on:
            raise ValidationError(
                {"excepted_on": _("例外准入日期不能早于提出日期（%(day)s）。") % {"day": request.requested_on}}
            )
        not_in_the_future("excepted_on", excepted_on)
        request.outcome = AdmissionOutcome.EXCEPTED
        request.exception_reason = reason.strip()
        request.excepted_by = acting_user
        request.excepted_on = excepted_on
        request.save(update_fields=["outcome", "exception_reason", "excepted_by", "excepted_on"])
        return request
