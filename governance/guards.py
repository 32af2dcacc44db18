"""The checks every workflow action makes, written once (DESIGN.md section 4; docs/access.md).

A service calls these inside its transaction, after locking its row, so that what it checks is what
it writes. Each raises what the API turns into 403 (PermissionDenied) or 400 (ValidationError with
the field's message) and the pages into 403 or a form error; each message is one sentence, the same
wherever the rule applies.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from governance.access.querysets import holds_in, permission_name
from governance.clock import today

NOT_PERMITTED_HERE = _("您无权在该区划执行此操作。")
NOT_IN_THE_FUTURE = _("日期不能晚于今天。")
# Four eyes (审核与登记分离, Nanhai task 10 查办分离): whoever recorded, submitted or proposed a
# record never approves, confirms, reviews or closes it themselves.
FOUR_EYES = _("不能办理自己登记或提交的记录，须由另一人办理。")


def require_permission_at(user, perm: str, division_code: str) -> None:
    """PermissionDenied unless `user` holds `perm` ("app_label.codename") over the division."""
    if not holds_in(user, perm, division_code):
        raise PermissionDenied(NOT_PERMITTED_HERE)


def require_model_permission_at(user, model, action: str, division_code: str) -> None:
    """require_permission_at for `action` ("add", "change", "approve"...) on `model`."""
    require_permission_at(user, permission_name(model, action), division_code)


def not_in_the_future(field: str, day: datetime.date | None) -> None:
    """ValidationError on `field` when `day` lies after the portal's today (no date is a later
    step's concern: nothing to check)."""
    if day is not None and day > today():
        raise ValidationError({field: [NOT_IN_THE_FUTURE]})


def is_own_record(author_id: int | None, user) -> bool:
    """Whether `user` recorded (submitted, proposed) the record whose author is `author_id`: pages
    ask this before they offer a step that four eyes reserve to another user."""
    return author_id is not None and author_id == getattr(user, "pk", None)


def require_another_user(author_id: int | None, user) -> None:
    """PermissionDenied when `user` is the record's author (four eyes)."""
    if is_own_record(author_id, user):
        raise PermissionDenied(FOUR_EYES)
