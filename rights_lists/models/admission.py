"""Village matter admission requests (村级事项准入), judged against a village's three lists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from rights_lists.choices import AdmissionOutcome, ListKind
from rights_lists.models.lists import ListItem
from rights_lists.querysets import AdmissionRequestQuerySet


@track_history
class AdmissionRequest(ScopedModel):
    """A department's or town's request that a village take on a matter (村级事项准入), judged
    against the village's three lists: `item` is the list item the matter was found on (null when
    on none), `list_kind` that item's list kind when judged. An exception is granted by a town
    official who did not file the request, with a reason (four eyes, a database constraint), and
    only for a matter on none of the three lists: one on the negative list stays refused (a
    database constraint too)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="admission_requests"
    )
    requester = models.CharField(_("提出单位"), max_length=100, help_text=_("如：区民政局、狮山镇综治办"))
    matter = models.CharField(_("事项"), max_length=200)
    requested_on = models.DateField(_("提出日期"))
    item = models.ForeignKey(
        ListItem,
        verbose_name=_("对应清单事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admission_requests",
    )
    list_kind = models.CharField(_("所在清单"), max_length=32, choices=ListKind.choices, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=AdmissionOutcome.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    exception_reason = models.TextField(_("例外准入理由"), blank=True)
    excepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准例外人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    excepted_on = models.DateField(_("例外准入日期"), null=True, blank=True)

    objects = AdmissionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("村级事项准入申请")
        verbose_name_plural = _("村级事项准入申请")
        ordering = ["division_id", "-requested_on", "-id"]
        indexes = [models.Index(fields=["division", "outcome"], name="admission_division_outcome")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="excepted")
                | (Q(excepted_by__isnull=False, excepted_on__isnull=False) & ~Q(exception_reason="")),
                name="admission_exception_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(excepted_by__isnull=True) | ~Q(excepted_by=F("filed_by")),
                name="admission_exception_four_eyes",
            ),
            # A matter on the village's negative list is never admitted, by exception neither
            # (DESIGN.md section 3; Guangyuan plan 负面事项指导清单, Guangxi §20).
            models.CheckConstraint(
                condition=~Q(list_kind=ListKind.NEGATIVE) | Q(outcome=AdmissionOutcome.REFUSED),
                name="admission_negative_list_refused",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} · {self.matter}"
