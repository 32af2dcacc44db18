"""Red list (红榜) nominations; the black list is derived, not stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from covenants.choices import NominationStatus
from covenants.models.validators import validate_period
from covenants.querysets import RedListNominationQuerySet
from governance.audit import track_history
from governance.base_models import ScopedModel


@track_history
class RedListNomination(ScopedModel):
    """A nomination for a village's red list (红榜) of a period, approved by another user of the
    village or the town (four eyes). The black list (黑榜) is not stored: it is derived from the
    sanctions in force (covenants.services.honour_lists)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="red_list_nominations"
    )
    person = models.ForeignKey(
        "villages.Person", verbose_name=_("被提名人"), on_delete=models.PROTECT, related_name="red_list_nominations"
    )
    period = models.CharField(_("期间"), max_length=10, validators=[validate_period])
    reason = models.TextField(_("事迹"))
    status = models.CharField(
        _("状态"), max_length=10, choices=NominationStatus.choices, default=NominationStatus.PROPOSED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提名人"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(_("提名时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)

    objects = RedListNominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("红榜提名")
        verbose_name_plural = _("红榜提名")
        ordering = ["division_id", "-period", "id"]
        permissions = [("approve_redlistnomination", _("可审批红榜提名"))]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "person", "period"], name="red_list_one_nomination_per_person_and_period"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("nominated_by")),
                name="red_list_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.period}"
