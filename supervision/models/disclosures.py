"""The disclosure catalogue of a village (村务公开目录) and its filed disclosures.

A disclosure is overdue when it is not filed by its deadline, computed from dates at query time
(supervision.querysets), never flipped by a job.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history
from governance.base_models import ScopedModel
from governance.periods import Period
from supervision.choices import CADENCE_MONTHS, DISCLOSURE_GRACE_DAYS, Cadence, DisclosureState
from supervision.querysets import DisclosureItemQuerySet, DisclosureQuerySet, disclosure_state


def period_of(cadence: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month or quarter (calendar-aligned) that holds `day`."""
    months = CADENCE_MONTHS[cadence]
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    label = f"{day.year}-{first_month:02d}" if months == 1 else f"{day.year}-Q{(first_month - 1) // 3 + 1}"
    return start, Period.parse(label).end


def deadline_of(cadence: str, day: datetime.date) -> datetime.date:
    """When a disclosure of this cadence is due: `day` is the first day of its month or quarter,
    or, for a major matter, the day it was decided (DISCLOSURE_GRACE_DAYS, Organic Law art. 30)."""
    end = day if cadence == Cadence.AT_ONCE else period_of(cadence, day)[1]
    return end + datetime.timedelta(days=DISCLOSURE_GRACE_DAYS[cadence])


@track_history
class DisclosureItem(ScopedModel):
    """One item of a village's disclosure catalogue (公开目录): what is published and how often.
    Periodic items are due every month or quarter from `since` on (until `until`, if set)."""

    division = models.ForeignKey(
        "villages.Division", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="disclosure_items"
    )
    title = models.CharField(_("公开事项"), max_length=200)
    cadence = models.CharField(_("公开频次"), max_length=12, choices=Cadence.choices)
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("停止日期"), null=True, blank=True)

    objects = DisclosureItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开目录事项")
        verbose_name_plural = _("公开目录事项")
        ordering = ["division_id", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="disclosure_item_until_after_since"
            ),
        ]

    def __str__(self) -> str:
        return self.title


@track_history
class Disclosure(ScopedModel):
    """One disclosure of an item: for a periodic item the month or quarter starting on `period_start`,
    for a major matter the day it was decided. `due_on` follows from the cadence (deadline_of);
    `filed_on` is the day it was posted, empty while it is not."""

    scope_field = "item__division__code"

    item = models.ForeignKey(
        DisclosureItem, verbose_name=_("公开事项"), on_delete=models.PROTECT, related_name="disclosures"
    )
    period_start = models.DateField(_("所属期间（首日）或事项决定日期"))
    due_on = models.DateField(_("公开期限"))
    filed_on = models.DateField(_("公开日期"), null=True, blank=True)
    content = models.TextField(_("公开内容"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开记录")
        verbose_name_plural = _("公开记录")
        ordering = ["item_id", "period_start", "id"]
        constraints = [
            # A periodic item is disclosed once per period (a major matter once per matter: the
            # service names its day, and two matters of one day are one disclosure).
            models.UniqueConstraint(fields=["item", "period_start"], name="disclosure_one_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.period_start}"

    def state_on(self, day: datetime.date) -> str:
        """On time, late, overdue or not yet due on `day` (supervision.querysets.disclosure_state)."""
        return disclosure_state(self.due_on, self.filed_on, day)

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.state_on(day) == DisclosureState.OVERDUE
